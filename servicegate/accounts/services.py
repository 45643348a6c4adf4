"""Writes for accounts: role groups, API tokens, user preferences."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils import timezone

from servicegate.accounts.models import ApiToken, Profile, hash_token
from servicegate.accounts.roles import CAPABILITIES, ROLE_CAPABILITIES, ROLES


def sync_roles(*, using: str = "default") -> None:
    """Create the role groups and give each exactly the capabilities of its role."""
    perms = {
        p.codename: p
        for p in Permission.objects.using(using).filter(
            content_type__app_label="accounts", codename__in=list(CAPABILITIES)
        )
    }
    if len(perms) < len(CAPABILITIES):
        return  # permissions not created yet (called for an earlier app)
    with transaction.atomic(using=using):
        for role in ROLES:
            group, _ = Group.objects.using(using).get_or_create(name=role)
            group.permissions.set([perms[c] for c in sorted(ROLE_CAPABILITIES[role])])


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Issue a new API token for ``user``; the raw key is returned once and never stored."""
    raw = ApiToken.new_raw_key()
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=hash_token(raw), prefix=raw[3:11]
    )
    return token, raw


def token_authenticate(raw: str) -> ApiToken | None:
    """Return the active token for ``raw`` (and note its use), or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def tokens_revoke_all(*, user: User) -> int:
    """Revoke every active token of ``user`` (after a password change); how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _password_changing(sender: Any, instance: User, **kwargs: Any) -> None:
    """pre_save of a user: note whether the stored password hash is being replaced."""
    fields = kwargs.get("update_fields")
    if (
        instance.pk is None
        or kwargs.get("raw")
        or (fields is not None and "password" not in fields)
    ):
        return
    stored = type(instance).objects.filter(pk=instance.pk).values_list("password", flat=True)
    old = stored.first()
    instance._servicegate_password_changed = old is not None and old != instance.password  # type: ignore[attr-defined]


def _password_changed(sender: Any, instance: User, **kwargs: Any) -> None:
    """post_save of a user: a new password ends every API token issued with the old one."""
    if getattr(instance, "_servicegate_password_changed", False):
        instance._servicegate_password_changed = False  # type: ignore[attr-defined]
        tokens_revoke_all(user=instance)


def token_revoke(*, token: ApiToken) -> None:
    """Revoke ``token``; it stays on record with its revocation time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def profile_set_language(*, user: User, language: str) -> Profile:
    """Store the interface language the user chose ('' follows the browser)."""
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.language = language
    profile.save(update_fields=["language"])
    return profile
