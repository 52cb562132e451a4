"""People and staff shared by every side of the synthetic firm.

Every attribute is a pure function of (seed, index), so both sources can refer to the same
person without holding the population in memory: that is what lets 1,000,000 matters stream
in bounded memory and still share clients across matters and across systems.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

FIRST_NAMES = (
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "José",
    "Zoë",
    "Renée",
    "Søren",
    "Łukasz",
    "Ólafur",
    "François",
    "Chloé",
    "Björn",
    "Mária",
    "Nguyễn",
    "Siobhán",
    "Željko",
    "Ana-María",
    "D'Andre",
    "Jean-Luc",
    "Émilie",
    "Anaïs",
    "Wei",
    "Priya",
    "Oluwaseun",
    "Aleksandr",
    "Mohammed",
    "Fatima",
    "Kenji",
    "Ingrid",
)
LAST_NAMES = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "O'Brien",
    "Müller",
    "Núñez",
    "Østergaard",
    "Kowalczyk",
    "Dvořák",
    "Van der Berg",
    "McAllister",
    "St. John",
    "Nakamura",
    "Okonkwo",
    "Papadopoulos",
    "Ibáñez",
    "Groß",
    "Çelik",
    "Åström",
    "Lefèvre",
    "da Silva",
    "Ng",
    "Li",
    "Patel",
    "Cohen",
    "Fitzgerald",
)
EMAIL_DOMAINS = ("example.com", "mail.example.org", "example.net", "client.example.co.uk")
CITIES = (
    ("Austin", "TX", "78701"),
    ("Denver", "CO", "80202"),
    ("Seattle", "WA", "98101"),
    ("Boston", "MA", "02108"),
    ("Miami", "FL", "33101"),
    ("Chicago", "IL", "60601"),
    ("San José", "CA", "95113"),
    ("Portland", "OR", "97201"),
    ("Phoenix", "AZ", "85001"),
)
STREETS = ("Main St", "Oak Ave", "Elm Street", "Maple Dr.", "Cedar Ln", "Pine Rd", "Market St")
STAFF_NAMES = (
    ("Alice", "Hartman"),
    ("Brian", "Cole"),
    ("Carmen", "Ruiz"),
    ("Derek", "Okafor"),
    ("Eleanor", "Price"),
    ("Farid", "Haddad"),
    ("Grace", "Lindqvist"),
    ("Hugo", "Bernard"),
    ("Isabel", "Fonseca"),
    ("Jonas", "Weber"),
    ("Keiko", "Tanaka"),
    ("Liam", "Byrne"),
)
FIRM_DOMAIN = "hartmancole-law.example"
EPOCH = datetime(2019, 1, 1, tzinfo=UTC)
SPAN_DAYS = 6 * 365


def rng_for(seed: int, kind: str, index: int) -> random.Random:
    """An independent, reproducible random stream for one entity."""
    digest = hashlib.blake2b(f"{seed}:{kind}:{index}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def normalise_email(email: str | None) -> str | None:
    """The dedup key: trimmed, lower-case; empty means no email. SQL has the same rule."""
    if email is None:
        return None
    cleaned = email.strip().lower()
    return cleaned or None


def partner_key(normalised_email: str) -> str:
    """First 16 hex of sha256 of the normalised email (design §4 external id)."""
    return hashlib.sha256(normalised_email.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Person:
    index: int
    first_name: str
    last_name: str
    email: str | None  # canonical form; sources write variants of it
    phone_digits: str
    street: str
    city: str
    state: str
    zip_code: str
    company: str | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Staff:
    index: int
    first_name: str
    last_name: str
    email: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


COMPANY_STEMS = (
    "Acme Holdings",
    "Brightwater Logistics",
    "Cobalt Ridge Partners",
    "Delta Orchard",
    "Evergreen Dental",
    "Fjord Analytics",
    "Granite & Sons",
    "Harbor Point Realty",
    "Ironwood Construction",
    "Juniper Health",
    "Keystone Freight",
    "Lumen Bakery",
)
# The same company written the ways intake staff write it; SQL must consolidate them.
COMPANY_SPELLINGS = ("{stem} LLC", "{stem}, L.L.C.", "{upper} llc", "{stem} Inc.", "{stem}")


@dataclass(frozen=True)
class Firm:
    """Population sizes for one scale: everything else is derived per index."""

    seed: int
    scale: int

    @property
    def people(self) -> int:
        # Fewer people than matters/leads: clients come back, witnesses recur.
        return max(40, int(self.scale * 0.8))

    @property
    def staff(self) -> int:
        return min(len(STAFF_NAMES), max(6, self.scale // 50))

    def person(self, index: int) -> Person:
        r = rng_for(self.seed, "person", index)
        first = r.choice(FIRST_NAMES)
        last = r.choice(LAST_NAMES)
        email = None
        if r.random() >= 0.08:  # 8 % have no email at all
            local = _ascii_local(f"{first}.{last}")
            email = f"{local}.{index}@{r.choice(EMAIL_DOMAINS)}"
        city, state, zip_code = r.choice(CITIES)
        company = None
        if r.random() < 0.25:
            company = COMPANY_STEMS[r.randrange(len(COMPANY_STEMS))]
        return Person(
            index=index,
            first_name=first,
            last_name=last,
            email=email,
            phone_digits=f"{r.randrange(200, 999)}{r.randrange(200, 999)}{r.randrange(10000):04d}",
            street=f"{r.randrange(1, 9999)} {r.choice(STREETS)}",
            city=city,
            state=state,
            zip_code=zip_code,
            company=company,
        )

    def staff_member(self, index: int) -> Staff:
        first, last = STAFF_NAMES[index % len(STAFF_NAMES)]
        return Staff(index, first, last, f"{first.lower()}.{last.lower()}@{FIRM_DOMAIN}")

    def staff_has_odoo_user(self, index: int) -> bool:
        """Every third staff member has no Odoo user: their records need the fallback owner."""
        return index % 3 != 2


def _ascii_local(text: str) -> str:
    folded = text.encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in folded if ch.isalnum() or ch == ".").strip(".") or "client"


def email_variant(email: str, r: random.Random) -> str:
    """How the same address arrives from people typing it: case and stray spaces."""
    roll = r.random()
    if roll < 0.15:
        return email.upper()
    if roll < 0.3:
        return f"  {email.capitalize()} "
    return email


def phone_variant(digits: str, r: random.Random) -> str:
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return r.choice(
        (
            f"({a}) {b}-{c}",
            f"{a}-{b}-{c}",
            f"+1 {a} {b} {c}",
            f"{a}.{b}.{c}",
            f"1{a}{b}{c}",
            f"{a} {b} {c} ext. {r.randrange(10, 99)}",
        )
    )


def timestamp(r: random.Random) -> datetime:
    return EPOCH + timedelta(seconds=r.randrange(SPAN_DAYS * 86400))


def person_in_odoo(person: Person) -> bool:
    """Every eleventh person with an email is already a partner in the target Odoo."""
    return person.email is not None and person.index % 11 == 0
