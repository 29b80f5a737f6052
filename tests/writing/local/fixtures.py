"""Hand-made bibles of different genres, built in code, for the local writer's tests.

``Relationship(to=b, kind=k)`` on ``a`` reads "b is a's k" (as develop writes it).
Each builder scales the season arc to ``episodes`` the way ``develop`` does: secrets and
twists sit at fixed fractions of the season and the paywall twist on the paywall episode.
"""

from __future__ import annotations

from collections.abc import Callable

from cliffhanger.model import (
    Appearance,
    Bible,
    Character,
    Location,
    Relationship,
    Role,
    Secret,
    Twist,
)
from cliffhanger.writing.base import SeriesRequest


def _at(fraction: float, episodes: int) -> int:
    return max(1, min(episodes, round(fraction * episodes)))


def _char(
    ident: str,
    name: str,
    role: Role,
    gender: str,
    age: int,
    want: str,
    *relations: tuple[str, str],
) -> Character:
    return Character(
        id=ident,
        name=name,
        role=role,
        want=want,
        relationships=tuple(Relationship(to=to, kind=kind) for to, kind in relations),
        appearance=Appearance(age=age, gender=gender),  # type: ignore[arg-type]
    )


def werewolf(episodes: int = 60, seconds: int = 90, paywall: int = 8) -> Bible:
    paywall = min(paywall, episodes)
    chars = (
        _char(
            "mara",
            "Mara Vale",
            Role.LEAD,
            "female",
            22,
            "to be seen by her pack",
            ("kael", "rejected mate"),
            ("sloane", "stepsister"),
        ),
        _char(
            "kael",
            "Kael Thorne",
            Role.LOVE_INTEREST,
            "male",
            27,
            "to keep his title",
            ("mara", "fated mate"),
        ),
        _char(
            "sloane",
            "Sloane Vale",
            Role.ANTAGONIST,
            "female",
            24,
            "to become Luna",
            ("mara", "stepsister"),
        ),
        _char(
            "rhea",
            "Rhea Vale",
            Role.PARENT,
            "female",
            50,
            "to protect her daughter",
            ("mara", "stepdaughter"),
            ("sloane", "daughter"),
        ),
        _char("dorian", "Dorian Black", Role.RIVAL, "male", 30, "to take the pack"),
        _char("old_tomas", "Tomas Grey", Role.MENTOR, "male", 70, "to see justice done"),
        _char(
            "lyra",
            "Lyra Moon",
            Role.ALLY,
            "female",
            21,
            "to help her friend",
            ("mara", "best friend"),
        ),
    )
    locs = (
        Location(id="pack_house", name="Pack House Great Hall", kind="banquet_hall"),
        Location(
            id="forest",
            name="Silverpine Forest",
            kind="forest_night",
            interior=False,
            time_of_day="night",
        ),
        Location(id="alpha_room", name="Alpha's Chamber", kind="bedroom", time_of_day="night"),
        Location(id="clinic", name="Pack Clinic", kind="hospital_room"),
    )
    secrets = (
        Secret(
            id="mara_royal",
            holder="old_tomas",
            text="Mara is the lost daughter of the Moon King",
            known_by=("rhea",),
            revealed_in=paywall + 1,
            revealed_to=("mara", "kael"),
        ),
        Secret(
            id="sloane_poison",
            holder="sloane",
            text="Sloane poisoned the old Alpha",
            known_by=("rhea",),
            revealed_in=_at(0.45, episodes),
            revealed_to=("kael",),
        ),
        Secret(
            id="dorian_spy",
            holder="dorian",
            text="Dorian spies for the Blood Moon pack",
            revealed_in=_at(0.8, episodes),
            revealed_to=("mara", "kael", "lyra"),
        ),
    )
    arc = (
        Twist(
            episode=1,
            kind="humiliation",
            description="Kael rejects Mara in front of the whole pack at the Moon Ceremony",
        ),
        Twist(
            episode=paywall,
            kind="reveal",
            description="Tomas is about to tell Mara who her real father is",
            secret="mara_royal",
            paywall=True,
        ),
        Twist(
            episode=_at(0.45, episodes),
            kind="reveal",
            description="Kael finds the poison vial in Sloane's room",
            secret="sloane_poison",
        ),
        Twist(
            episode=_at(0.6, episodes),
            kind="bigger_enemy",
            description="The Blood Moon pack surrounds the territory",
        ),
        Twist(
            episode=_at(0.8, episodes),
            kind="betrayal",
            description="Dorian opens the gates to the Blood Moon pack",
            secret="dorian_spy",
        ),
    )
    return Bible(
        title="Rejected by the Alpha",
        logline="A rejected mate discovers she was born to rule the pack that shamed her.",
        premise="A werewolf girl rejected by her Alpha mate turns out to be royalty.",
        genre="werewolf",
        tropes=("rejected mate", "hidden royalty", "villainous stepsister"),
        setting="a werewolf pack in the northern woods",
        episodes=episodes,
        seconds=seconds,
        paywall_episode=paywall,
        characters=chars,
        locations=locs,
        secrets=secrets,
        arc=arc,
    )


def heiress(episodes: int = 60, seconds: int = 90, paywall: int = 8) -> Bible:
    paywall = min(paywall, episodes)
    chars = (
        _char(
            "ethan",
            "Ethan Blake",
            Role.LEAD,
            "male",
            29,
            "to win back his family's name",
            ("vivian", "ex-fiancée"),
        ),
        _char("chloe", "Chloe Hart", Role.LOVE_INTEREST, "female", 27, "to run her own firm"),
        _char(
            "vivian",
            "Vivian Sterling",
            Role.ANTAGONIST,
            "female",
            28,
            "to marry up",
            ("ethan", "ex-fiancé"),
            ("marcus", "father"),
        ),
        _char("marcus", "Marcus Sterling", Role.ANTAGONIST, "male", 58, "to own the city"),
        _char(
            "ben",
            "Ben Ortiz",
            Role.ALLY,
            "male",
            30,
            "to keep Ethan alive",
            ("ethan", "best friend"),
        ),
        _char(
            "grace",
            "Grace Blake",
            Role.PARENT,
            "female",
            55,
            "to see her son again",
            ("ethan", "son"),
        ),
    )
    locs = (
        Location(id="tower", name="Sterling Tower Boardroom", kind="ceo_office"),
        Location(id="gala", name="Grand Orchid Ballroom", kind="banquet_hall", time_of_day="night"),
        Location(id="hospital", name="St. Mary's Hospital", kind="hospital_room"),
        Location(
            id="street",
            name="Harbor Street",
            kind="street_night",
            interior=False,
            time_of_day="night",
        ),
        Location(id="car", name="Ethan's Car", kind="car_interior", time_of_day="night"),
    )
    secrets = (
        Secret(
            id="ethan_heir",
            holder="ethan",
            text="Ethan is the secret heir of the Blake Group",
            known_by=("ben",),
            revealed_in=paywall,
            revealed_to=("chloe",),
        ),
        Secret(
            id="marcus_fire",
            holder="marcus",
            text="Marcus set the fire that killed Ethan's father",
            revealed_in=_at(0.75, episodes),
            revealed_to=("ethan", "chloe", "grace"),
        ),
    )
    arc = (
        Twist(
            episode=1,
            kind="humiliation",
            description="Vivian calls off the engagement "
            "and throws the ring at Ethan at her father's gala",
        ),
        Twist(
            episode=paywall,
            kind="reveal",
            description="Chloe learns Ethan owns the company that is buying the Sterlings",
            secret="ethan_heir",
            paywall=True,
        ),
        Twist(
            episode=_at(0.5, episodes),
            kind="bigger_enemy",
            description="Marcus Sterling returns from abroad to crush Ethan himself",
        ),
        Twist(
            episode=_at(0.75, episodes),
            kind="reveal",
            description="Grace finds the arson report with Marcus's signature",
            secret="marcus_fire",
        ),
    )
    return Bible(
        title="The Billionaire She Dumped",
        logline="Dumped at a gala, a penniless man is secretly the heir who owns them all.",
        premise="A humiliated ex-fiancé is secretly a billionaire heir.",
        genre="hidden_identity",
        tropes=("hidden identity", "face-slapping", "revenge"),
        setting="modern New York",
        episodes=episodes,
        seconds=seconds,
        paywall_episode=paywall,
        characters=chars,
        locations=locs,
        secrets=secrets,
        arc=arc,
    )


def palace(episodes: int = 60, seconds: int = 90, paywall: int = 10) -> Bible:
    paywall = min(paywall, episodes)
    chars = (
        _char("lin_yue", "Lin Yue", Role.LEAD, "female", 19, "to clear her family's name"),
        _char("emperor", "Xiao Chen", Role.LOVE_INTEREST, "male", 26, "to trust someone"),
        _char("consort_hua", "Hua Rong", Role.ANTAGONIST, "female", 25, "to be Empress"),
        _char(
            "lin_hao",
            "Lin Hao",
            Role.SIBLING,
            "male",
            22,
            "to protect his sister",
            ("lin_yue", "sister"),
        ),
        _char("eunuch_fu", "Fu An", Role.SERVANT, "male", 45, "to survive"),
    )
    locs = (
        Location(id="throne", name="Hall of Supreme Harmony", kind="palace_hall"),
        Location(id="cold_palace", name="The Cold Palace", kind="other", time_of_day="night"),
        Location(
            id="garden", name="Imperial Garden", kind="other", interior=False, time_of_day="dusk"
        ),
    )
    secrets = (
        Secret(
            id="hua_frame",
            holder="consort_hua",
            text="Consort Hua framed the Lin family for treason",
            known_by=("eunuch_fu",),
            revealed_in=_at(0.3, episodes),
            revealed_to=("lin_yue",),
        ),
    )
    arc = (
        Twist(
            episode=paywall,
            kind="reveal",
            description="Fu An is about to name who forged the treason letter",
            paywall=True,
        ),
        Twist(
            episode=_at(0.3, episodes),
            kind="reveal",
            description="Lin Yue hears Hua Rong confess to forging the letter",
            secret="hua_frame",
        ),
        Twist(
            episode=_at(0.7, episodes),
            kind="rescue",
            description="Xiao Chen pulls Lin Yue from the burning Cold Palace",
        ),
    )
    return Bible(
        title="The Cold Palace Bride",
        logline="A disgraced concubine claws her way back to the throne room.",
        premise="A concubine framed for treason takes revenge in the palace.",
        genre="palace",
        tropes=("palace intrigue", "revenge", "strong female lead"),
        setting="an imperial court",
        episodes=episodes,
        seconds=seconds,
        paywall_episode=paywall,
        characters=chars,
        locations=locs,
        secrets=secrets,
        arc=arc,
    )


BUILDERS: dict[str, Callable[..., Bible]] = {
    "werewolf": werewolf,
    "heiress": heiress,
    "palace": palace,
}


def request_for(bible: Bible, seed: int = 0, seconds: int | None = None) -> SeriesRequest:
    return SeriesRequest(
        premise=bible.premise,
        episodes=bible.episodes,
        seconds=seconds or bible.seconds,
        seed=seed,
        paywall_episode=bible.paywall_episode,
    )


#: Premises for develop(): every genre, other languages, and odd input.
PREMISES: tuple[str, ...] = (
    "A werewolf girl rejected by her Alpha mate turns out to be the lost Luna",
    "A poor waitress is the real heiress the billionaire family swapped at birth",
    "She takes revenge on the husband and best friend who left her to die in a fire",
    "Reborn on the morning of her wedding, she refuses the man who killed her",
    "A contract marriage with a cold CEO who needs a wife for one year",
    "The useless live-in son-in-law is secretly the war god of the northern army",
    "A maid in the imperial palace climbs to empress through poison and schemes",
    "The mafia don's daughter is forced to marry her family's enemy",
    "Two rival bakers on the same street fall in love",
    "A detective investigates her own sister's murder at the family estate",
    "A wedding planner's disastrous week with her ex as the groom",
    "A family torn apart by the father's will and a secret son",
    "Una chica pobre descubre que es la heredera de un imperio",
    "重生回到婚礼那天，她拒绝了那个害死她的男人",
    "🐺🌕💔",
    "x",
    "A spaceship captain betrayed by her crew returns for revenge " * 12,
    "A hidden CEO pretends to be a delivery boy to find true love",
    "A single mother discovers her son's father is the ruthless CEO she works for",
    "A cursed fox spirit marries a mortal scholar to break the spell",
    "Her twin sister stole her life, her husband and her name",
)
