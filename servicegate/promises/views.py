"""Pages of promises and Service Quality Gates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from servicegate.core.permissions import capability_required, has_capability
from servicegate.core.promise_figures import promise_attainment
from servicegate.promises import lifecycle, selectors, services
from servicegate.promises.forms import (
    ContractForm,
    CriterionForm,
    DecisionForm,
    EvidenceForm,
    GateForm,
    PromiseFilterForm,
    PromiseForm,
    TransitionForm,
)
from servicegate.promises.gate_rules import review_due
from servicegate.promises.gate_services import may_review
from servicegate.promises.models import (
    PROMISE_FIELDS,
    Contract,
    Evidence,
    GateCriterion,
    GateDefinition,
    GateReview,
    Promise,
)
from servicegate.promises.revision import REVISABLE_STATES, promise_revise
from servicegate.promises.selectors import (
    PromiseFilter,
    gate_board,
    gates_with_criteria,
    promise_history,
    promise_list,
    reviews_of_promise,
    reviews_with_checklists,
)


def _attach(form: BaseForm, exc: ValidationError) -> None:
    """Show a service's validation error next to the field it names."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@capability_required("view_servicegate")
def promise_index(request: HttpRequest) -> HttpResponse:
    """All promises, filterable by state and product."""
    form = PromiseFilterForm(request.GET or None)
    flt = PromiseFilter()
    if form.is_valid():
        product = form.cleaned_data["product"]
        flt = PromiseFilter(
            state=form.cleaned_data["state"], product=product.pk if product else None
        )
    context = {
        "form": form,
        "promises": promise_list(flt)[:500],
        "can_propose": has_capability(request.user, "propose_promise"),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "promises/_promise_rows.html", context)
    return render(request, "promises/promise_list.html", context)


def _promise_fields(form: PromiseForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in PROMISE_FIELDS}


@capability_required("propose_promise")
def promise_new(request: HttpRequest) -> HttpResponse:
    """Propose a new promise (it starts as a draft)."""
    form = PromiseForm(request.POST or None, initial={"product": request.GET.get("product")})
    if request.method == "POST" and form.is_valid():
        try:
            promise = services.promise_create(by=request.user, **_promise_fields(form))
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The promise was saved as a draft."))
            return redirect("promises:detail", pk=promise.pk)
    return render(request, "promises/promise_form.html", {"form": form, "promise": None})


@capability_required("propose_promise")
def promise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or rejected promise; a stale version is refused, not overwritten."""
    promise = get_object_or_404(Promise, pk=pk)
    form = PromiseForm(request.POST or None, instance=promise)
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version") or 0
        try:
            services.promise_update(
                promise=promise, by=request.user, version=version, **_promise_fields(form)
            )
        except ValidationError as exc:
            _attach(form, exc)
        except (services.ConcurrentEditError, services.TransitionError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The promise was saved."))
            return redirect("promises:detail", pk=pk)
    return render(request, "promises/promise_form.html", {"form": form, "promise": promise})


#: States a promise reaches by opening a gate review, not by a plain transition button.
OPENED_BY_REVIEW = frozenset({"under_review"})


def _detail_context(request: HttpRequest, promise: Promise) -> dict[str, Any]:
    transitions = [
        t
        for t in lifecycle.next_from(promise.state)
        if t.target not in OPENED_BY_REVIEW
        and services.may_transition(promise, t.target, request.user)
    ]
    reviews = list(reviews_of_promise(promise))
    open_reviews = {r.gate_id: r for r in reviews if r.is_open}
    gates = [
        (g, open_reviews.get(g.pk))
        for g in GateDefinition.objects.filter(is_active=True)
        if may_review(request.user, g)
        and promise.made_by_id != request.user.pk
        and (g.pk in open_reviews or review_due(promise, g.code))
    ]
    return {
        "promise": promise,
        "transitions": transitions,
        "next_sentence": lifecycle.describe_next(promise.state),
        "reviews": reviews,
        "attainment": promise_attainment([promise.pk]).get(promise.pk),
        "history": promise_history(promise),
        "gates": gates,
        "can_edit": promise.state in services.EDITABLE_STATES
        and has_capability(request.user, "propose_promise"),
        "can_revise": _can_revise(request, promise),
        "successors": list(promise.successors.all()),
    }


@capability_required("view_servicegate")
def promise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One promise: fields, state with the next steps, reviews and the audit timeline."""
    promise = get_object_or_404(promise_list(), pk=pk)
    return render(request, "promises/promise_detail.html", _detail_context(request, promise))


@require_POST
@capability_required("view_servicegate")
def promise_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Take one lifecycle step; refusals are shown as messages on the promise page."""
    promise = get_object_or_404(Promise, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a state to move to."))
        return redirect("promises:detail", pk=pk)
    try:
        services.promise_transition(
            promise=promise,
            to=form.cleaned_data["to"],
            by=request.user,
            comment=form.cleaned_data["comment"],
            counter_proposal=form.cleaned_data["counter_proposal"] or None,
            version=form.cleaned_data["version"],
        )
    except (services.TransitionError, services.ConcurrentEditError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The promise moved to “%(s)s”.") % {"s": _state(promise.pk)})
    return redirect("promises:detail", pk=pk)


@require_POST
@capability_required("propose_promise")
def promise_revise_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a successor draft of a live promise and open it for editing."""
    promise = get_object_or_404(Promise, pk=pk)
    try:
        successor = promise_revise(promise=promise, by=request.user)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("promises:detail", pk=pk)
    messages.success(
        request,
        _("Promise #%(pk)s revises this one: change its terms and submit it to G1.")
        % {"pk": successor.pk},
    )
    return redirect("promises:edit", pk=successor.pk)


def _state(pk: int) -> str:
    return str(Promise.objects.get(pk=pk).get_state_display())


@capability_required("view_servicegate")
def board(request: HttpRequest) -> HttpResponse:
    """The gate board: promises as cards per lifecycle state, with age and blockers."""
    return render(request, "promises/board.html", {"columns": gate_board()})


@capability_required("view_servicegate")
def gate_list(request: HttpRequest) -> HttpResponse:
    """The quality gate definitions with their checklists."""
    return render(
        request,
        "promises/gate_list.html",
        {
            "gates": gates_with_criteria(),
            "can_define": has_capability(request.user, "define_gates"),
        },
    )


@require_POST
@capability_required("view_servicegate")
def review_open(request: HttpRequest, pk: int, gate_code: str) -> HttpResponse:
    """Open a review of the promise at the given gate."""
    promise = get_object_or_404(Promise, pk=pk)
    gate = get_object_or_404(GateDefinition, code=gate_code, is_active=True)
    try:
        review = services.gate_review_open(gate=gate, promise=promise, by=request.user)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("promises:detail", pk=pk)
    return redirect("promises:review", pk=review.pk)


def _review_context(request: HttpRequest, review: GateReview, **extra: Any) -> dict[str, Any]:
    return {
        "review": review,
        "blockers": selectors.review_blockers(review),
        "can_review": review.is_open
        and may_review(request.user, review.gate)
        and (review.promise is None or review.promise.made_by_id != request.user.pk),
        "evidence_form": extra.get("evidence_form") or EvidenceForm(review=review),
        "decision_form": extra.get("decision_form")
        or DecisionForm(initial={"version": review.promise.version if review.promise else None}),
        "can_revise": _can_revise(request, review.promise),
    }


def _can_revise(request: HttpRequest, promise: Promise | None) -> bool:
    return (
        promise is not None
        and promise.state in REVISABLE_STATES
        and has_capability(request.user, "propose_promise")
    )


@capability_required("view_servicegate")
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A gate review: checklist answers, evidence and the decision.

    The evidence and decision forms post here (``action``), so that a page shown again
    with its errors keeps this address and reloading it shows the review.
    """
    if request.method == "POST":
        action = {"evidence": review_evidence, "decide": review_decide}.get(
            request.POST.get("action", "")
        )
        if action is None:
            return redirect("promises:review", pk=pk)
        return action(request, pk)
    review = get_object_or_404(reviews_with_checklists(GateReview.objects.all()), pk=pk)
    return render(request, "promises/review_detail.html", _review_context(request, review))


@require_http_methods(["GET", "POST"])
@capability_required("view_servicegate")
def review_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the checklist answers of a review."""
    if request.method != "POST":  # a reload of this address: show the review
        return redirect("promises:review", pk=pk)
    review = get_object_or_404(GateReview, pk=pk)
    answers = {
        a.criterion_id: (
            request.POST.get(f"answer-{a.criterion_id}", ""),
            request.POST.get(f"note-{a.criterion_id}", ""),
        )
        for a in review.answers.all()
    }
    try:
        services.gate_review_answer(review=review, by=request.user, answers=answers)
    except (ValidationError, services.TransitionError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("The answers were saved."))
    return redirect("promises:review", pk=pk)


@require_http_methods(["GET", "POST"])
@capability_required("view_servicegate")
def review_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach evidence (text, link or file) to a review."""
    if request.method != "POST":
        return redirect("promises:review", pk=pk)
    review = get_object_or_404(reviews_with_checklists(GateReview.objects.all()), pk=pk)
    form = EvidenceForm(request.POST, request.FILES, review=review)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_add(
                review=review,
                by=request.user,
                kind=data["kind"],
                text=data["text"],
                url=data["url"],
                file=data["file"] or None,
                criterion=data["criterion"],
            )
        except ValidationError as exc:
            _attach(form, exc)
        except services.TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The evidence was attached."))
            return redirect("promises:review", pk=pk)
    ctx = _review_context(request, review, evidence_form=form)
    return render(request, "promises/review_detail.html", ctx, status=422)


@require_http_methods(["GET", "POST"])
@capability_required("view_servicegate")
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Decide a review; G1, G3 and G4 decisions can move the promise (DECISION_MOVES)."""
    if request.method != "POST":
        return redirect("promises:review", pk=pk)
    review = get_object_or_404(reviews_with_checklists(GateReview.objects.all()), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.gate_review_decide(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        except (services.TransitionError, services.ConcurrentEditError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The review was decided."))
            if review.promise_id:
                return redirect("promises:detail", pk=review.promise_id)
            return redirect("promises:review", pk=pk)
    ctx = _review_context(request, review, decision_form=form)
    return render(request, "promises/review_detail.html", ctx, status=422)


@capability_required("view_servicegate")
def contract_list(request: HttpRequest) -> HttpResponse:
    """All contracts with their customer and products."""
    contracts = Contract.objects.select_related("customer").prefetch_related("products")
    return render(
        request,
        "promises/contract_list.html",
        {"contracts": contracts, "can_propose": has_capability(request.user, "propose_promise")},
    )


@capability_required("propose_promise")
def contract_new(request: HttpRequest) -> HttpResponse:
    """Record a contract."""
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("The contract was recorded."))
            return redirect("promises:contracts")
    return render(request, "promises/contract_form.html", {"form": form})


def _criterion_of(gate: GateDefinition, pk: str | None) -> GateCriterion | None:
    """The gate's criterion named by ``pk`` (to edit), or None (to add one)."""
    if not pk or not pk.isdigit():
        return None
    return get_object_or_404(GateCriterion, pk=int(pk), gate=gate)


@capability_required("define_gates")
def gate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a gate definition and add checklist criteria (gates are retired, not deleted)."""
    gate = get_object_or_404(GateDefinition, pk=pk)
    form = GateForm(request.POST or None, instance=gate, initial={"version": gate.version})
    editing = _criterion_of(gate, request.POST.get("criterion-id") or request.GET.get("criterion"))
    criterion_form = CriterionForm(request.POST or None, prefix="criterion", instance=editing)
    if request.method == "POST" and "criterion-question" in request.POST:
        form = GateForm(instance=gate, initial={"version": gate.version})
        if criterion_form.is_valid():
            services.gate_criterion_save(
                gate=gate, by=request.user, criterion=editing, **criterion_form.cleaned_data
            )
            if editing is None:
                messages.success(request, _("The criterion was added."))
            else:
                messages.success(
                    request, _("The criterion was changed (a new version of the gate).")
                )
            return redirect("promises:gate_edit", pk=pk)
    elif request.method == "POST":
        criterion_form = CriterionForm(prefix="criterion")
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.gate_definition_update(gate=gate, by=request.user, version=version, **data)
            except ValidationError as exc:
                _attach(form, exc)
            except services.ConcurrentEditError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The gate was saved."))
                return redirect("promises:gates")
    return render(
        request,
        "promises/gate_form.html",
        {
            "form": form,
            "criterion_form": criterion_form,
            "gate": gate,
            "criteria": gate.criteria.all(),
            "editing": editing,
        },
    )


@capability_required("view_servicegate")
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """Download an uploaded evidence file; only for logged-in users who may read."""
    evidence = get_object_or_404(Evidence, pk=pk)
    if not evidence.file:
        raise Http404("This evidence has no file.")
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=(evidence.file.name or "evidence").rsplit("/", 1)[-1],
    )
