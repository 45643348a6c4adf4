"""Demo step: customers in the three segments, each with one or more sites."""

from __future__ import annotations

from servicegate.catalog.models import Segment
from servicegate.core.demo import DemoContext
from servicegate.operations.models import Customer, Site

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


def build(ctx: DemoContext) -> None:
    """Create 150 customers over the segments, each with one or more sites."""
    customers = _customers(ctx, ctx.objects["segments"])
    ctx.objects["customers"] = customers
    ctx.report(f"demo: {len(customers)} customers")


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
