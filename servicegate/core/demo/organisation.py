"""Demo step: calendars, segments, customers with sites, technicians, users."""

from __future__ import annotations

from django.contrib.auth.models import Group, User

from servicegate.accounts import roles
from servicegate.calendars.models import BusinessCalendar, CalendarRevision
from servicegate.catalog.models import Segment
from servicegate.core.demo import DemoContext
from servicegate.engines.calendars import calendar_from_dict, calendar_to_dict
from servicegate.operations.models import Customer, Site
from servicegate.team.models import Skill, Technician, TechnicianSkill

DEMO_PASSWORD = "demo"
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    # username, role, first name, last name
    ("sales", roles.SALES, "Sabine", "Vogt"),
    ("manager", roles.SERVICE_MANAGER, "Markus", "Brandt"),
    ("quality", roles.QUALITY_MANAGER, "Katrin", "Lenz"),
    ("dispatcher", roles.DISPATCHER, "Deniz", "Aydin"),
    ("technician", roles.TECHNICIAN, "Tobias", "Huber"),
    ("viewer", roles.VIEWER, "Vera", "Kühn"),
    ("admin", roles.ADMIN, "Anna", "Schulte"),
)

_WORKWEEK = ["08:00-12:00", "12:30-17:00"]
CALENDARS: tuple[tuple[str, str, dict[str, object]], ...] = (
    (
        "Service hours DE-BY",
        "Mon–Fri 08:00–17:00 with lunch break, Bavarian public holidays",
        {
            "timezone": "Europe/Berlin",
            "week": {
                "mon": _WORKWEEK,
                "tue": _WORKWEEK,
                "wed": _WORKWEEK,
                "thu": _WORKWEEK,
                "fri": ["08:00-12:00", "12:30-15:30"],
                "sat": [],
                "sun": [],
            },
            "holidays": {
                "dates": ["2025-12-24", "2025-12-31", "2026-12-24", "2026-12-31"],
                "country": "DE",
                "subdivision": "BY",
            },
        },
    ),
    (
        "Extended hours DE",
        "Mon–Sat 07:00–20:00, German public holidays",
        {
            "timezone": "Europe/Berlin",
            "week": {d: ["07:00-20:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")}
            | {"sun": []},
            "holidays": {"dates": [], "country": "DE"},
        },
    ),
    (
        "24x7",
        "Around the clock, every day",
        {
            "timezone": "Europe/Berlin",
            "week": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "holidays": {"dates": []},
        },
    ),
)

SEGMENTS = (
    ("Automotive", "Car makers and their tier-1 suppliers: high-volume lines, costly downtime."),
    ("Food & Packaging", "Food, beverage and packaging plants: hygiene, seasonal peaks."),
    ("Medical & Pharma", "Medical devices and pharma: validated processes, documented service."),
)

# city, region (federal state / country), country, latitude, longitude
CITIES = (
    ("München", "Bayern", "DE", 48.137, 11.575),
    ("Augsburg", "Bayern", "DE", 48.371, 10.898),
    ("Ingolstadt", "Bayern", "DE", 48.766, 11.425),
    ("Regensburg", "Bayern", "DE", 49.013, 12.101),
    ("Nürnberg", "Bayern", "DE", 49.452, 11.077),
    ("Würzburg", "Bayern", "DE", 49.791, 9.953),
    ("Stuttgart", "Baden-Württemberg", "DE", 48.776, 9.183),
    ("Ulm", "Baden-Württemberg", "DE", 48.401, 9.988),
    ("Mannheim", "Baden-Württemberg", "DE", 49.487, 8.466),
    ("Frankfurt am Main", "Hessen", "DE", 50.110, 8.682),
    ("Kassel", "Hessen", "DE", 51.312, 9.480),
    ("Köln", "Nordrhein-Westfalen", "DE", 50.938, 6.960),
    ("Dortmund", "Nordrhein-Westfalen", "DE", 51.514, 7.465),
    ("Bielefeld", "Nordrhein-Westfalen", "DE", 52.030, 8.532),
    ("Leipzig", "Sachsen", "DE", 51.340, 12.375),
    ("Dresden", "Sachsen", "DE", 51.050, 13.738),
    ("Hannover", "Niedersachsen", "DE", 52.376, 9.732),
    ("Wolfsburg", "Niedersachsen", "DE", 52.423, 10.787),
    ("Hamburg", "Hamburg", "DE", 53.551, 9.993),
    ("Linz", "Oberösterreich", "AT", 48.306, 14.286),
    ("Graz", "Steiermark", "AT", 47.070, 15.439),
    ("Zürich", "Zürich", "CH", 47.377, 8.541),
)
NAME_STEMS = (
    "Albrecht",
    "Bergmann",
    "Claassen",
    "Dietz",
    "Eberle",
    "Fink",
    "Gerber",
    "Hartmann",
    "Imhof",
    "Jäger",
    "Keller",
    "Lindner",
    "Maurer",
    "Neumann",
    "Ott",
    "Pfeiffer",
    "Quast",
    "Reuter",
    "Sauer",
    "Thiel",
    "Ullrich",
    "Vogel",
    "Weber",
    "Zeller",
    "Brenner",
    "Kraus",
    "Lorenz",
    "Seidel",
    "Winkler",
    "Haas",
)
SEGMENT_WORDS = {
    "Automotive": ("Automotive", "Fahrzeugteile", "Karosseriebau", "Antriebstechnik", "Presswerk"),
    "Food & Packaging": ("Lebensmittel", "Molkerei", "Getränke", "Verpackung", "Backwaren"),
    "Medical & Pharma": ("Medizintechnik", "Pharma", "Labortechnik", "Dental", "Diagnostik"),
}
LEGAL_FORMS = ("GmbH", "GmbH & Co. KG", "AG", "KG", "SE")

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
    """Create the organisation the other demo steps build on."""
    calendars = []
    for name, description, definition in CALENDARS:
        normalised = calendar_to_dict(calendar_from_dict(definition))
        calendar = BusinessCalendar.objects.create(
            name=name, description=description, timezone="Europe/Berlin", definition=normalised
        )
        CalendarRevision.objects.create(
            calendar=calendar, definition=normalised, comment="demo organisation"
        )
        calendars.append(calendar)
    segments = [Segment.objects.create(name=n, description=d) for n, d in SEGMENTS]
    customers = _customers(ctx, segments)
    users = _users()
    technicians = _technicians(ctx, calendars, users["technician"])
    ctx.objects.update(
        calendars=calendars,
        segments=segments,
        customers=customers,
        users=users,
        technicians=technicians,
    )
    ctx.report(
        f"demo: {len(segments)} segments, {len(customers)} customers, "
        f"{len(technicians)} technicians, {len(users)} users"
    )


def _customers(ctx: DemoContext, segments: list[Segment]) -> list[Customer]:
    rng = ctx.rng
    customers: list[Customer] = []
    used: set[str] = set()
    weights = [0.45, 0.35, 0.20]
    for i in range(150):
        segment = segments[int(rng.choice(len(segments), p=weights))]
        while True:
            stem = NAME_STEMS[int(rng.integers(len(NAME_STEMS)))]
            word = SEGMENT_WORDS[segment.name][int(rng.integers(5))]
            form = LEGAL_FORMS[int(rng.integers(len(LEGAL_FORMS)))]
            name = f"{stem} {word} {form}"
            if name not in used:
                used.add(name)
                break
        customers.append(Customer(number=f"K-{10001 + i}", name=name, segment=segment))
    Customer.objects.bulk_create(customers)
    sites: list[Site] = []
    for customer in customers:
        for j in range(1 + int(rng.poisson(0.6))):
            city, region, country, lat, lon = CITIES[int(rng.integers(len(CITIES)))]
            sites.append(
                Site(
                    customer=customer,
                    name=("Werk " + city) if j else "Hauptwerk",
                    street=f"Industriestraße {int(rng.integers(1, 120))}",
                    postal_code=f"{int(rng.integers(10000, 99999))}",
                    city=city,
                    country=country,
                    region=region,
                    timezone="Europe/Berlin"
                    if country == "DE"
                    else ("Europe/Vienna" if country == "AT" else "Europe/Zurich"),
                    latitude=round(lat + float(rng.normal(0, 0.05)), 5),
                    longitude=round(lon + float(rng.normal(0, 0.05)), 5),
                )
            )
    Site.objects.bulk_create(sites)
    return list(Customer.objects.order_by("number"))


def _users() -> dict[str, User]:
    users: dict[str, User] = {}
    groups = {g.name: g for g in Group.objects.all()}
    for username, role, first, last in DEMO_USERS:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.servicegate.invalid",
            is_staff=role == roles.ADMIN,
            is_superuser=role == roles.ADMIN,
        )
        user.groups.add(groups[role])
        users[username] = user
    return users


def _technicians(
    ctx: DemoContext, calendars: list[BusinessCalendar], tech_user: User
) -> list[Technician]:
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
    return technicians
