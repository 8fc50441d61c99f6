"""Seeded randomness, date formatting and the fictional word banks the documents draw on.

Every name, place and event here is invented for the demo.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from common.court_time import MONTHS


def seeded_rng(*parts: object) -> random.Random:
    """A generator seeded from the arguments (string seeds are stable across runs)."""
    return random.Random("|".join(str(p) for p in parts))


def long_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def short_date(day: date) -> str:
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def clock(moment: datetime | time) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def office_stamp(day: date, rng: random.Random) -> datetime:
    """A document timestamp on ``day`` during office hours."""
    return datetime.combine(day, time(8 + rng.randrange(9), rng.randrange(60), rng.randrange(60)))


def seed_day(seed: int, rng: random.Random) -> date:
    return date(2019, 1, 2) + timedelta(days=(seed * 37 + rng.randrange(400)) % 2000)


OFFICERS = (
    "R. Castellan",
    "D. Whitfield",
    "M. Okonkwo-Reyes",
    "J. Tranter",
    "S. Lindqvist",
    "A. Barrowman",
    "L. Pennywhistle",
    "K. Marchetti",
)
OFFICER_TITLES = (
    "Supervisory Border Patrol Agent",
    "Deportation Officer",
    "Supervisory Immigration Officer",
    "Assistant Field Office Director",
)
PORTS = (
    "Lukeville, Arizona",
    "Hidalgo, Texas",
    "San Ysidro, California",
    "Del Rio, Texas",
    "Miami, Florida",
    "Calexico, California",
    "Laredo, Texas",
)
TOWNS = ("Valle Alto", "San Isidro del Monte", "Puerto Lindo", "Kesso", "Marrabay", "Old Tirren")
GROUPS = (
    "the Rural Teachers' Union",
    "the Evangelical Fellowship of the Hills",
    "the Opposition Youth League",
    "the Market Vendors' Cooperative",
    "a neighbourhood women's association",
)
_AGENTS = (
    "members of an armed gang that controls my neighbourhood",
    "men who said they worked for the ruling party",
    "local police officers",
    "soldiers from the regional garrison",
)
_RELATIVES = ("my brother", "my cousin", "my uncle", "my mother", "my sister-in-law")
WITNESSES = ("Marisol Ventana", "Teodoro Akande", "Ines Barrakh", "Paul Delacroix-Mendez")
ATTORNEYS = ("Harriet Q. Langford", "Emeka Osei-Hart", "Renata Villalobos", "Simon Achterberg")
ORGS = ("Riverside Immigrant Legal Clinic", "Borderlands Pro Bono Project", "Hope Street Law")

_NARRATIVE = (
    "In {year} I began volunteering with {group} in {town}, where I helped organise meetings "
    "and distribute leaflets to our neighbours.",
    "On a night in {month} {year}, {agents} came to our house and asked for me by name. "
    "When {relative} said I was not home, they broke the windows and promised to return.",
    "I was stopped on the road outside {town} and held for two days in a room without light. "
    "I was beaten with a stick and told to stop my activities or be killed.",
    "I reported what happened to the authorities, but the officer who took my statement "
    "laughed and told me that people like me should leave the country.",
    "Afterwards I received messages on my telephone that described my daily routine and the "
    "school my children attended. I understood that I was being watched.",
    "{relative_cap} was attacked in {year} by the same people, and still has scars on the arms. "
    "They told {relative} that the attack was a message for me.",
    "I moved to my aunt's house in another province, but within a few weeks strangers were "
    "asking about me at the market, so I knew I could not hide anywhere in the country.",
    "I left with only a small bag and the documents I could carry. I travelled for several "
    "weeks, mostly by bus, and I did not stop in any country long enough to ask for protection.",
    "I am afraid that if I am returned I will be arrested at the airport or found by "
    "{agents}, and that this time they will kill me.",
    "Since arriving I have attended church regularly, I have been working where I am "
    "permitted to, and I have never been arrested in the United States or any other country.",
)


def _fill(template: str, rng: random.Random) -> str:
    relative = rng.choice(_RELATIVES)
    return template.format(
        year=rng.randrange(2012, 2021),
        month=rng.choice(MONTHS),
        group=rng.choice(GROUPS),
        town=rng.choice(TOWNS),
        agents=rng.choice(_AGENTS),
        relative=relative,
        relative_cap=relative[:1].upper() + relative[1:],
    )


def narrative(rng: random.Random) -> Iterator[str]:
    """An endless stream of first-person narrative paragraphs."""
    while True:
        picks = rng.sample(_NARRATIVE, rng.randrange(2, 4))
        yield " ".join(_fill(p, rng) for p in picks)
