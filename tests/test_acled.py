"""ACLED's vocabulary as enums: the codebook's structure, and the codes exports derive from it."""

from __future__ import annotations

import pytest

from frontlines.acled import (
    DisorderType,
    EventType,
    Inter,
    SubEventType,
    TERRITORY_CHANGES,
    interaction,
)


def test_the_codebook_has_six_event_types_and_twenty_five_sub_types():
    assert len(EventType) == 6
    assert len(SubEventType) == 25
    assert sum(len(t.sub_event_types) for t in EventType) == 25


@pytest.mark.parametrize("sub_type, event_type", [
    ("Armed clash", "Battles"),
    ("Non-state actor overtakes territory", "Battles"),
    ("Air/drone strike", "Explosions/Remote violence"),
    ("Grenade", "Explosions/Remote violence"),
    ("Abduction/forced disappearance", "Violence against civilians"),
    ("Excessive force against protesters", "Protests"),
    ("Mob violence", "Riots"),
    ("Non-violent transfer of territory", "Strategic developments"),
    ("Other", "Strategic developments"),
])
def test_each_sub_type_knows_its_event_type(sub_type, event_type):
    assert SubEventType(sub_type).event_type == event_type


def test_enums_compare_equal_to_acled_strings_as_stored_and_exported():
    assert SubEventType.AIR_DRONE_STRIKE == "Air/drone strike"
    assert EventType("Explosions/Remote violence") is EventType.EXPLOSIONS
    assert f"{SubEventType.ARMED_CLASH}" == "Armed clash"


def test_disorder_types_follow_the_codebook_with_its_two_exceptions():
    assert SubEventType.ARMED_CLASH.disorder_type is DisorderType.POLITICAL_VIOLENCE
    assert SubEventType.PEACEFUL_PROTEST.disorder_type is DisorderType.DEMONSTRATIONS
    assert SubEventType.VIOLENT_DEMONSTRATION.disorder_type is DisorderType.DEMONSTRATIONS
    assert SubEventType.MOB_VIOLENCE.disorder_type is DisorderType.POLITICAL_VIOLENCE
    assert SubEventType.EXCESSIVE_FORCE_AGAINST_PROTESTERS.disorder_type == "Political violence; Demonstrations"
    assert SubEventType.ARRESTS.disorder_type is DisorderType.STRATEGIC_DEVELOPMENTS


def test_interaction_joins_the_two_categories_lowest_first():
    assert interaction(Inter.REBEL_GROUPS, Inter.STATE_FORCES) == 12
    assert interaction(7, 3) == 37
    assert interaction(Inter.STATE_FORCES, None) == 10
    assert interaction(None, 6) == 60
    assert interaction(None, None) is None


def test_territory_changes_are_the_three_control_sub_types():
    assert {t.value for t in TERRITORY_CHANGES} == {
        "Non-state actor overtakes territory", "Government regains territory", "Non-violent transfer of territory"}
    assert SubEventType.GOVERNMENT_REGAINS_TERRITORY.is_territorial
    assert not SubEventType.ARMED_CLASH.is_territorial
