"""Demo step: technical and social skills, twelve technicians at home bases."""

from __future__ import annotations

from django.contrib.auth.models import User

from servicegate.calendars.models import BusinessCalendar
from servicegate.core.demo import DemoContext
from servicegate.operations.demo.customers import CITIES
from servicegate.team.models import Skill, Technician, TechnicianSkill

TECHNICAL_SKILLS = (
    "Hydraulics",
    "PLC programming (S7)",
    "Servo drives",
    "Packaging lines",
    "Robotics",
    "Vision systems",
    "Remote diagnostics",
    "Pneumatics",
)
SOCIAL_SKILLS = ("Customer communication", "De-escalation", "Coaching others", "Self-organisation")
TECHNICIANS = (
    ("Tobias Huber", "München"),
    ("Lena Maier", "München"),
    ("Jonas Wagner", "Augsburg"),
    ("Murat Yılmaz", "Nürnberg"),
    ("Julia Schmid", "Stuttgart"),
    ("Felix Roth", "Ulm"),
    ("Sarah König", "Frankfurt am Main"),
    ("Lukas Berger", "Köln"),
    ("Mia Wolf", "Dortmund"),
    ("Paul Richter", "Leipzig"),
    ("Nina Koch", "Hannover"),
    ("Stefan Gruber", "Linz"),
)


def build(ctx: DemoContext) -> None:
    """Create the skills and twelve technicians; the first is the demo technician's login."""
    calendars: list[BusinessCalendar] = ctx.objects["calendars"]
    tech_user: User = ctx.objects["users"]["technician"]
    rng = ctx.rng
    skills = [Skill.objects.create(name=n, kind=Skill.Kind.TECHNICAL) for n in TECHNICAL_SKILLS]
    skills += [Skill.objects.create(name=n, kind=Skill.Kind.SOCIAL) for n in SOCIAL_SKILLS]
    regions = {c[0]: c[1] for c in CITIES}
    technicians = []
    links = []
    for i, (name, base) in enumerate(TECHNICIANS):
        # Most work service hours; three cover the extended-hours shift.
        calendar = calendars[1] if i % 4 == 3 else calendars[0]
        tech = Technician.objects.create(
            user=tech_user if i == 0 else None,
            name=name,
            home_base=base,
            region=regions[base],
            calendar=calendar,
        )
        technicians.append(tech)
        chosen = rng.choice(len(skills), size=int(rng.integers(4, 8)), replace=False)
        for k in sorted(int(x) for x in chosen):
            level = int(rng.choice([1, 2, 3, 4], p=[0.2, 0.4, 0.3, 0.1]))
            links.append(TechnicianSkill(technician=tech, skill=skills[k], level=level))
    TechnicianSkill.objects.bulk_create(links)
    ctx.objects["technicians"] = technicians
    ctx.report(f"demo: {len(technicians)} technicians")
