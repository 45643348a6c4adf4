"""The service team: technicians, their skills and working calendars."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from servicegate.calendars.models import BusinessCalendar


class Skill(models.Model):
    """A competence: technical (a machine line, a protocol) or social ("service muscles")."""

    class Kind(models.TextChoices):
        TECHNICAL = "technical", _("technical")
        SOCIAL = "social", _("social")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name


class Technician(models.Model):
    """A member of the service team who works on tickets and preventive jobs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="technician",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=150)
    home_base = models.CharField(_("home base"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.PROTECT,
        related_name="technicians",
        verbose_name=_("working calendar"),
    )
    skills = models.ManyToManyField(
        Skill, through="TechnicianSkill", related_name="technicians", verbose_name=_("skills")
    )
    is_active = models.BooleanField(_("active"), default=True)
    team = models.ForeignKey(
        "team.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="technicians",
        verbose_name=_("team"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("technician")
        verbose_name_plural = _("technicians")

    def __str__(self) -> str:
        return self.name


class TechnicianSkill(models.Model):
    """How well a technician masters a skill: 1 learning … 4 can teach it."""

    class Level(models.IntegerChoices):
        LEARNING = 1, _("learning")
        INDEPENDENT = 2, _("works independently")
        EXPERT = 3, _("expert")
        TEACHER = 4, _("can teach it")

    technician = models.ForeignKey(Technician, on_delete=models.CASCADE)
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["technician", "skill"], name="unique_technician_skill")
        ]
        verbose_name = _("technician skill")
        verbose_name_plural = _("technician skills")

    def __str__(self) -> str:
        return f"{self.technician} – {self.skill} ({self.level})"
