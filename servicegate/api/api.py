"""The REST API under /api/v1/ (django-ninja), with its OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from servicegate.accounts.selectors import user_roles
from servicegate.accounts.services import token_create, token_revoke
from servicegate.api.auth import API_AUTH
from servicegate.catalog.api import router as catalog_router
from servicegate.core.health import health_report, readiness
from servicegate.improvement.api import router as improvement_router
from servicegate.inbox.api import router as inbox_router
from servicegate.maintenance.api import router as maintenance_router
from servicegate.measurement.api import router as measurement_router
from servicegate.operations.api import router as operations_router
from servicegate.operations.errors import TicketRefused
from servicegate.planning.api import router as planning_router
from servicegate.portal.api import router as portal_router
from servicegate.portal.selectors import customer_of
from servicegate.promises.api import router as promises_router
from servicegate.scheduling.api import router as scheduling_router
from servicegate.team.api import router as team_router


def docs_behind_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The Swagger page needs a login; the OpenAPI document stays public for clients."""
    inner = getattr(view, "func", view)
    if getattr(inner, "__name__", "") != "openapi_view":
        return view

    @wraps(inner)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return view(request, *args, **kwargs)

    return wrapped


ERROR_ANSWERS = {
    "400": "The request body is not valid JSON.",
    "401": "Authentication required: send 'Authorization: Bearer <token>'.",
    "403": "Your role does not allow this.",
    "404": "There is no such object, or it is not visible to you.",
    "409": "The object changed or is in a state that does not allow this.",
    "422": "A value is missing, of the wrong type or out of range.",
}
WRITES = {"post", "put", "patch", "delete"}


class ServicegateAPI(NinjaAPI):
    """The API whose OpenAPI document lists the error answers every operation can give."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        message = {"$ref": "#/components/schemas/Message"}
        schema.setdefault("components", {}).setdefault("schemas", {})["Message"] = {
            "type": "object",
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        }
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                codes = {"422"}
                if operation.get("security"):
                    codes |= {"401", "403"}
                if "{" in path or operation.get("parameters") or "requestBody" in operation:
                    codes.add("404")  # an id in the path, query or body may name nothing
                if method in WRITES:
                    codes |= {"409"}
                    if "requestBody" in operation:
                        codes.add("400")
                # ninja keys the declared answers by int, JSON keys are strings: an int
                # 404 and a str "404" would both be written and a YAML reader (Swagger UI)
                # refuses the duplicated key. The operation's own declaration wins.
                responses = {
                    str(code): answer for code, answer in operation.get("responses", {}).items()
                }
                operation["responses"] = responses
                for code in sorted(codes):
                    responses.setdefault(
                        code,
                        {
                            "description": ERROR_ANSWERS[code],
                            "content": {"application/json": {"schema": message}},
                        },
                    )
        return schema


api = ServicegateAPI(
    title="Servicegate API",
    version="1",
    description="Service catalogue, promises, quality gates, operations and planning.",
    urls_namespace="api",
    auth=API_AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=docs_behind_login,
)


class Message(Schema):
    detail: str


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Authentication required: send 'Authorization: Bearer <token>'."},
        status=401,
    )


def _where(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "data")]
    return ".".join(loc) or "body"


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, exc: Exception) -> HttpResponse:
    errors = exc.errors if isinstance(exc, ValidationError) else []
    sentences = [f"{_where(e)}: {e.get('msg', 'invalid')}" for e in errors[:5]]
    detail = "The request is invalid: " + "; ".join(sentences) + "."
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "A number in the request is out of range; ids lie below 2**63."},
        status=422,
    )


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    detail = str(exc) if str(exc) and " " in str(exc) else "Your role does not allow this."
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(TicketRefused)
def on_refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    status = exc.status if isinstance(exc, TicketRefused) else 422
    return api.create_response(request, {"detail": str(exc)}, status=status)


class Health(Schema):
    status: str
    database: str
    worker: str
    worker_seen_at: datetime | None = None
    queued: int
    queue_age_seconds: float | None = None


@api.get("/health", auth=None, response={200: Health, 503: Health}, tags=["system"])
def health(request: HttpRequest) -> Status[Any]:
    """Database, background worker heartbeat (ok, stale, missing, not_needed) and the age
    of the oldest queued job in seconds; needs no login. 503 when the database is away."""
    code, body = health_report()
    return Status(code, body)


class Ready(Schema):
    status: str
    detail: str


@api.get("/health/ready", auth=None, response={200: Ready, 503: Ready}, tags=["system"])
def health_ready(request: HttpRequest) -> Status[Any]:
    """For a load balancer: 200 when this process can serve (database up, migrated)."""
    code, body = readiness()
    return Status(code, body)


class Credentials(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: Message, 429: Message},
    tags=["auth"],
)
def auth_token(request: HttpRequest, credentials: Credentials) -> Status[Any]:
    """Exchange username and password for a bearer token (throttled like the login page)."""
    from axes.exceptions import AxesBackendPermissionDenied

    try:
        user = authenticate(request, username=credentials.username, password=credentials.password)
    except AxesBackendPermissionDenied:
        user = None
    if getattr(request, "axes_locked_out", False):
        return Status(429, {"detail": "Too many failed logins: wait 15 minutes, then try again."})
    if user is None or not user.is_active:
        return Status(401, {"detail": "Wrong username or password."})
    _token, raw = token_create(user=user, name=credentials.name or "API")
    return Status(200, {"token": raw})


@api.delete("/auth/token", response={204: None}, tags=["auth"])
def auth_token_revoke(request: HttpRequest) -> Status[Any]:
    """Revoke the bearer token this request was sent with."""
    api_token = getattr(request, "api_token", None)
    if api_token is not None:
        token_revoke(token=api_token)
    return Status(204, None)


class CustomerRef(Schema):
    id: int
    name: str


class Me(Schema):
    username: str
    roles: list[str]
    customer: CustomerRef | None = None


@api.get("/me", response=Me, tags=["auth"], exclude_none=True)
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the caller is, which roles they hold and, for a customer contact, its customer."""
    customer = customer_of(request.user)
    return {
        "username": request.user.get_username(),
        "roles": user_roles(request.user),
        "customer": {"id": customer.pk, "name": customer.name} if customer else None,
    }


api.add_router("/", catalog_router)
api.add_router("/", promises_router)
api.add_router("/", operations_router)
api.add_router("/", measurement_router)
api.add_router("/", improvement_router)
api.add_router("/", planning_router)
api.add_router("/", maintenance_router)
api.add_router("/", scheduling_router)
api.add_router("/", team_router)
api.add_router("/", portal_router)
api.add_router("/", inbox_router)
