"""ACLED's vocabulary as enums: event types, sub-event types, actor categories, disorder types.

The values are ACLED's own strings and numbers, so a record compares equal to what an ACLED export
holds (`SubEventType.AIR_DRONE_STRIKE == "Air/drone strike"`) and is stored and exported as-is.
Each sub-event type knows its event type, and each event type its disorder type; nothing else in
frontlines spells these strings out.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class DisorderType(StrEnum):
    POLITICAL_VIOLENCE = "Political violence"
    DEMONSTRATIONS = "Demonstrations"
    STRATEGIC_DEVELOPMENTS = "Strategic developments"
    POLITICAL_VIOLENCE_AND_DEMONSTRATIONS = "Political violence; Demonstrations"


class EventType(StrEnum):
    BATTLES = "Battles"
    EXPLOSIONS = "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
    PROTESTS = "Protests"
    RIOTS = "Riots"
    STRATEGIC_DEVELOPMENTS = "Strategic developments"

    @property
    def disorder_type(self) -> DisorderType:
        return _DISORDER[self]

    @property
    def sub_event_types(self) -> tuple[SubEventType, ...]:
        return tuple(s for s in SubEventType if s.event_type is self)


_DISORDER = {
    EventType.BATTLES: DisorderType.POLITICAL_VIOLENCE,
    EventType.EXPLOSIONS: DisorderType.POLITICAL_VIOLENCE,
    EventType.VIOLENCE_AGAINST_CIVILIANS: DisorderType.POLITICAL_VIOLENCE,
    EventType.RIOTS: DisorderType.DEMONSTRATIONS,
    EventType.PROTESTS: DisorderType.DEMONSTRATIONS,
    EventType.STRATEGIC_DEVELOPMENTS: DisorderType.STRATEGIC_DEVELOPMENTS,
}


class SubEventType(StrEnum):
    """ACLED's 25 sub-event types, in the codebook's order."""

    ARMED_CLASH = "Armed clash"
    GOVERNMENT_REGAINS_TERRITORY = "Government regains territory"
    NON_STATE_ACTOR_OVERTAKES_TERRITORY = "Non-state actor overtakes territory"
    CHEMICAL_WEAPON = "Chemical weapon"
    AIR_DRONE_STRIKE = "Air/drone strike"
    SUICIDE_BOMB = "Suicide bomb"
    SHELLING_ARTILLERY_MISSILE_ATTACK = "Shelling/artillery/missile attack"
    REMOTE_EXPLOSIVE_LANDMINE_IED = "Remote explosive/landmine/IED"
    GRENADE = "Grenade"
    SEXUAL_VIOLENCE = "Sexual violence"
    ATTACK = "Attack"
    ABDUCTION_FORCED_DISAPPEARANCE = "Abduction/forced disappearance"
    PEACEFUL_PROTEST = "Peaceful protest"
    PROTEST_WITH_INTERVENTION = "Protest with intervention"
    EXCESSIVE_FORCE_AGAINST_PROTESTERS = "Excessive force against protesters"
    VIOLENT_DEMONSTRATION = "Violent demonstration"
    MOB_VIOLENCE = "Mob violence"
    AGREEMENT = "Agreement"
    ARRESTS = "Arrests"
    CHANGE_TO_GROUP_ACTIVITY = "Change to group/activity"
    DISRUPTED_WEAPONS_USE = "Disrupted weapons use"
    HEADQUARTERS_OR_BASE_ESTABLISHED = "Headquarters or base established"
    LOOTING_PROPERTY_DESTRUCTION = "Looting/property destruction"
    NON_VIOLENT_TRANSFER_OF_TERRITORY = "Non-violent transfer of territory"
    OTHER = "Other"

    @property
    def event_type(self) -> EventType:
        return _EVENT_TYPE_OF[self]

    @property
    def disorder_type(self) -> DisorderType:
        """The event type's, except for the two sub-types ACLED files as political violence."""
        return _DISORDER_EXCEPTIONS.get(self) or self.event_type.disorder_type

    @property
    def is_territorial(self) -> bool:
        """A change of who holds ground (the control stage reads these)."""
        return self in TERRITORY_CHANGES


_EVENT_TYPE_OF: dict[SubEventType, EventType] = {
    **{s: EventType.BATTLES for s in list(SubEventType)[0:3]},
    **{s: EventType.EXPLOSIONS for s in list(SubEventType)[3:9]},
    **{s: EventType.VIOLENCE_AGAINST_CIVILIANS for s in list(SubEventType)[9:12]},
    **{s: EventType.PROTESTS for s in list(SubEventType)[12:15]},
    **{s: EventType.RIOTS for s in list(SubEventType)[15:17]},
    **{s: EventType.STRATEGIC_DEVELOPMENTS for s in list(SubEventType)[17:25]},
}

_DISORDER_EXCEPTIONS = {
    SubEventType.MOB_VIOLENCE: DisorderType.POLITICAL_VIOLENCE,
    SubEventType.EXCESSIVE_FORCE_AGAINST_PROTESTERS: DisorderType.POLITICAL_VIOLENCE_AND_DEMONSTRATIONS,
}

TERRITORY_CHANGES = frozenset({
    SubEventType.NON_STATE_ACTOR_OVERTAKES_TERRITORY,
    SubEventType.GOVERNMENT_REGAINS_TERRITORY,
    SubEventType.NON_VIOLENT_TRANSFER_OF_TERRITORY,
})


class Inter(IntEnum):
    """ACLED's actor categories (`inter1`, `inter2`)."""

    STATE_FORCES = 1
    REBEL_GROUPS = 2
    POLITICAL_MILITIAS = 3
    IDENTITY_MILITIAS = 4
    RIOTERS = 5
    PROTESTERS = 6
    CIVILIANS = 7
    EXTERNAL_OTHER_FORCES = 8


ARMED_INTERS = frozenset({Inter.STATE_FORCES, Inter.REBEL_GROUPS, Inter.POLITICAL_MILITIAS,
                          Inter.IDENTITY_MILITIAS, Inter.EXTERNAL_OTHER_FORCES})
CROWD_INTERS = frozenset({Inter.RIOTERS, Inter.PROTESTERS, Inter.CIVILIANS})


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two categories, lowest first; 10, 20 ... for an actor alone."""
    codes = sorted(i for i in (inter1, inter2) if i is not None)
    if not codes:
        return None
    return codes[0] * 10 + (codes[1] if len(codes) == 2 else 0)
