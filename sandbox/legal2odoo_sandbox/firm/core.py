"""People and staff shared by every side of the synthetic firm.

Every attribute is a pure function of (seed, index), so both sources can refer to the same
person without holding the population in memory: that is what lets 1,000,000 matters stream
in bounded memory and still share clients across matters and across systems.
"""

from __future__ import annotations

import functools
import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

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


MASK64 = (1 << 64) - 1


@functools.cache
def _stream_key(seed: int, kind: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{seed}:{kind}".encode(), digest_size=8).digest(), "big")


def mix64(value: int) -> int:
    """splitmix64's finaliser on a Python int: a uniform 64-bit value for each input."""
    value = (value + 0x9E3779B97F4A7C15) & MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK64
    return value ^ (value >> 31)


def mix64_array(values: np.ndarray) -> np.ndarray:
    """mix64 over a uint64 array (wrapping arithmetic): same values as the scalar form."""
    with np.errstate(over="ignore"):
        v = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        v = (v ^ (v >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        v = (v ^ (v >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return v ^ (v >> np.uint64(31))


class Draws:
    """Counter-based random draws: value k of entity i in a named stream is a pure function
    of (seed, stream, i, k), so a batch of entities is drawn with array arithmetic and one
    entity alone gives the same values."""

    def __init__(self, seed: int, kind: str, index: np.ndarray) -> None:
        with np.errstate(over="ignore"):
            self._base = mix64_array(index.astype(np.uint64) * np.uint64(64)) ^ np.uint64(
                _stream_key(seed, kind)
            )

    def bits(self, k: int) -> np.ndarray:
        with np.errstate(over="ignore"):
            return mix64_array(self._base + np.uint64(k))

    def below(self, k: int, n: int | np.ndarray) -> np.ndarray:
        return (self.bits(k) % np.asarray(n, dtype=np.uint64)).astype(np.int64)

    def uniform(self, k: int) -> np.ndarray:
        return (self.bits(k) >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


class Draw:
    """The same draws as `Draws` for one entity, in plain integers (no array overhead)."""

    def __init__(self, seed: int, kind: str, index: int) -> None:
        self._base = mix64((index * 64) & MASK64) ^ _stream_key(seed, kind)

    def bits(self, k: int) -> int:
        return mix64((self._base + k) & MASK64)

    def below(self, k: int, n: int) -> int:
        return self.bits(k) % n

    def uniform(self, k: int) -> float:
        return (self.bits(k) >> 11) * (1.0 / (1 << 53))


def normalise_email(email: str | None) -> str | None:
    """The dedup key: trimmed, lower-case; empty means no email. SQL has the same rule."""
    if email is None:
        return None
    cleaned = email.strip().lower()
    return cleaned or None


def partner_key(normalised_email: str) -> str:
    """First 16 hex of sha256 of the normalised email (docs/design.md §4, external id)."""
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
        """One person; the same values as `people_at()` gives for this index."""
        d = Draw(self.seed, "person", index)
        names, flags, place, phone = d.bits(0), d.bits(1), d.bits(2), d.bits(3)
        first, last = (names & 0xFFFF) % len(FIRST_NAMES), (names >> 16 & 0xFFFF) % len(LAST_NAMES)
        email = None
        if (flags & 0xFFFFFFFF) / 2**32 >= NO_EMAIL_SHARE:
            domain = EMAIL_DOMAINS[(names >> 32 & 0xFFFF) % len(EMAIL_DOMAINS)]
            email = f"{EMAIL_LOCALS[first * len(LAST_NAMES) + last]}.{index}@{domain}"
        city, state, zip_code = CITIES[(names >> 48) % len(CITIES)]
        company = None
        if (flags >> 32) / 2**32 < COMPANY_SHARE:
            company = COMPANY_STEMS[(place & 0xFFFF) % len(COMPANY_STEMS)]
        street = (
            f"{1 + (place >> 32 & 0xFFFF) % 9998} {STREETS[(place >> 16 & 0xFFFF) % len(STREETS)]}"
        )
        digits = (
            f"{200 + (phone & 0xFFFF) % 799}{200 + (phone >> 16 & 0xFFFF) % 799}"
            f"{(phone >> 32) % 10000:04d}"
        )
        return Person(
            index=index,
            first_name=FIRST_NAMES[first],
            last_name=LAST_NAMES[last],
            email=email,
            phone_digits=digits,
            street=street,
            city=city,
            state=state,
            zip_code=zip_code,
            company=company,
        )

    def people_at(self, indices: np.ndarray) -> PeopleTable:
        return people_table(self.seed, indices)

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


ODOO_PARTNER_STEP = 11


def person_in_odoo(person: Person) -> bool:
    """Every eleventh person with an email is already a partner in the target Odoo."""
    return person.email is not None and person.index % ODOO_PARTNER_STEP == 0


def count_in_odoo(firm: Firm, seen: np.ndarray) -> int:
    """How many of the people marked in `seen` (bool per person) the target Odoo already has."""
    candidates = np.flatnonzero(seen[::ODOO_PARTNER_STEP]) * ODOO_PARTNER_STEP
    return sum(1 for index in candidates.tolist() if person_in_odoo(firm.person(index)))


# Person attributes are draws 0..11 of stream "person"; both forms below read the same draws.
NO_EMAIL_SHARE, COMPANY_SHARE = 0.08, 0.25
_FIRST_ASCII = [_ascii_local(n) for n in FIRST_NAMES]
_LAST_ASCII = [_ascii_local(n) for n in LAST_NAMES]
EMAIL_LOCALS = [
    f"{a}.{b}".strip(".") or "client" for a in _FIRST_ASCII for b in _LAST_ASCII
]  # index: first * len(LAST_NAMES) + last


@dataclass(frozen=True)
class PeopleTable:
    """People as columns (numpy arrays): what a batch of leads or matters needs at once."""

    index: np.ndarray
    first: np.ndarray  # indexes into FIRST_NAMES
    last: np.ndarray
    has_email: np.ndarray
    domain: np.ndarray
    city: np.ndarray
    company: np.ndarray  # index into COMPANY_STEMS, -1 for none
    phone_a: np.ndarray
    phone_b: np.ndarray
    phone_c: np.ndarray
    street_no: np.ndarray
    street: np.ndarray

    def emails(self) -> list[str | None]:
        locals_ = self.first * len(LAST_NAMES) + self.last
        return [
            f"{EMAIL_LOCALS[loc]}.{idx}@{EMAIL_DOMAINS[dom]}" if has else None
            for loc, idx, dom, has in zip(
                locals_.tolist(),
                self.index.tolist(),
                self.domain.tolist(),
                self.has_email.tolist(),
                strict=True,
            )
        ]

    def phone_digits(self) -> list[str]:
        return [
            f"{a}{b}{c:04d}"
            for a, b, c in zip(
                self.phone_a.tolist(), self.phone_b.tolist(), self.phone_c.tolist(), strict=True
            )
        ]


def _field(bits: np.ndarray, shift: int, mask: int, n: int) -> np.ndarray:
    return ((bits >> np.uint64(shift) & np.uint64(mask)) % np.uint64(n)).astype(np.int64)


def people_table(seed: int, indices: np.ndarray) -> PeopleTable:
    """The same fields as `Firm.person`, bit for bit, for many people at once."""
    d = Draws(seed, "person", np.asarray(indices))
    names, flags, place, phone = d.bits(0), d.bits(1), d.bits(2), d.bits(3)
    low32, m16, m32 = 0xFFFFFFFF, 0xFFFF, 0xFFFFFFFF
    has_company = (flags >> np.uint64(32)).astype(np.float64) / 2**32 < COMPANY_SHARE
    return PeopleTable(
        index=np.asarray(indices, dtype=np.int64),
        first=_field(names, 0, m16, len(FIRST_NAMES)),
        last=_field(names, 16, m16, len(LAST_NAMES)),
        has_email=(flags & np.uint64(low32)).astype(np.float64) / 2**32 >= NO_EMAIL_SHARE,
        domain=_field(names, 32, m16, len(EMAIL_DOMAINS)),
        city=_field(names, 48, m16, len(CITIES)),
        company=np.where(has_company, _field(place, 0, m16, len(COMPANY_STEMS)), -1),
        phone_a=200 + _field(phone, 0, m16, 799),
        phone_b=200 + _field(phone, 16, m16, 799),
        phone_c=_field(phone, 32, m32, 10000),
        street_no=1 + _field(place, 32, m16, 9998),
        street=_field(place, 16, m16, len(STREETS)),
    )
