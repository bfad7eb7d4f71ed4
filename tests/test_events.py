"""The events stage on real sentences: the seed article, and news-style sentences of our own."""

from __future__ import annotations

from datetime import date

import pytest

from frontlines.ingest import iter_documents
from frontlines.models import Document, EventRecord
from frontlines.pipeline import analyze


def _events(text: str, published: date | None) -> list[EventRecord]:
    return analyze(Document(id="t", text=text, published=published, language="en")).events


@pytest.fixture(scope="module")
def seed_events(seed_path) -> list[EventRecord]:
    document = next(iter(iter_documents([str(seed_path)])))
    document.published = date(2024, 12, 4)
    return analyze(document).events


def _at(events: list[EventRecord], location_part: str) -> list[EventRecord]:
    return [e for e in events if location_part.lower() in (e.location or "").lower()]


def test_seed_capture_of_aleppo_is_a_takeover_on_november_29(seed_events):
    aleppo = [e for e in _at(seed_events, "Aleppo") if e.event_date == date(2024, 11, 29)]
    assert aleppo, "the capture of Aleppo city by November 29 is missing"
    event = aleppo[0]
    assert (event.event_type, event.sub_event_type) == ("Battles", "Non-state actor overtakes territory")
    assert event.date_precision == "day" and event.geo_precision == 1
    assert event.actor2 == "Military Forces of Syria"
    assert "capture of Aleppo city" in event.evidence


def test_seed_following_day_dates_the_idlib_countryside_takeover(seed_events):
    idlib = [e for e in _at(seed_events, "Idlib") if "The following day" in e.evidence]
    assert [(e.event_date, e.date_precision, e.geo_precision) for e in idlib] == [
        (date(2024, 11, 30), "day", 3)]


def test_seed_counterfactual_airstrikes_are_not_events(seed_events):
    # "Russian planes could have carried out airstrikes ... on November 27, 2024 ..., but they did not."
    assert not [e for e in seed_events if e.sub_event_type == "Air/drone strike"
                and e.event_date == date(2024, 11, 27)]


def test_seed_leases_are_agreements_at_both_bases(seed_events):
    leases = [e for e in seed_events if e.sub_event_type == "Agreement" and e.event_date == date(2017, 1, 1)]
    assert {e.location for e in leases} >= {"Hmeimim Air Base"}
    assert all(e.date_precision == "year" and e.actor1 == "Government of Russia" for e in leases)


def test_seed_regime_takeovers_of_2019_are_government_regains_at_three_towns(seed_events):
    regains = [e for e in seed_events if e.sub_event_type == "Government regains territory"]
    assert len(regains) == 3
    assert all(e.event_date == date(2019, 1, 1) and e.date_precision == "year" for e in regains)
    assert all(e.background for e in regains), "history five years before publication is background"


def test_every_event_points_at_its_sentence(seed_events, seed_path):
    document = next(iter(iter_documents([str(seed_path)])))
    for event in seed_events:
        assert document.text[event.start:event.end] == event.evidence
        assert 0 < event.confidence <= 1


def test_shelling_with_fatalities_and_a_weekday():
    text = ("Khartoum, Aug 28 (IANS) The paramilitary Rapid Support Forces (RSF) shelled the Abu Shouk "
            "camp north of El Fasher on Monday, killing at least 25 people, a local official said.")
    (event,) = _events(text, date(2024, 8, 28))
    assert event.sub_event_type == "Shelling/artillery/missile attack"
    assert event.event_date == date(2024, 8, 26) and event.location == "Abu Shouk camp"
    assert event.actor1 == "Rapid Support Forces (RSF)" and event.fatalities == 25


def test_takeover_without_a_fight_is_a_non_violent_transfer():
    text = "On Saturday, opposition fighters walked into the Syrian town of Saraqib without a fight."
    (event,) = _events(text, date(2024, 12, 1))
    assert (event.event_type, event.sub_event_type) == (
        "Strategic developments", "Non-violent transfer of territory")
    assert event.event_date == date(2024, 11, 30)


def test_takeover_absorbs_the_fighting_at_the_same_place():
    text = ("Rebels captured the Syrian town of Saraqib on Friday after heavy clashes with "
            "government forces.")
    events = _events(text, date(2024, 11, 30))
    assert [e.sub_event_type for e in events] == ["Non-state actor overtakes territory"]


def test_government_forces_retaking_a_town_is_government_regains():
    text = "Syrian government forces recaptured the town of Khan Shaykhun from rebels on 21 August 2019."
    (event,) = _events(text, date(2019, 8, 22))
    assert event.sub_event_type == "Government regains territory"
    assert event.actor1 == "Military Forces of Syria" and event.event_date == date(2019, 8, 21)


def test_protest_sub_types_follow_the_police_response():
    dispersed = _events("Police fired tear gas to disperse hundreds of protesters in the Kenyan city "
                        "of Mombasa on Tuesday.", date(2024, 6, 26))
    assert [e.sub_event_type for e in dispersed] == ["Protest with intervention"]
    peaceful = _events("Hundreds of people protested peacefully in the Georgian capital Tbilisi on "
                       "Sunday against the new law.", date(2024, 5, 13))
    assert [e.sub_event_type for e in peaceful] == ["Peaceful protest"]


@pytest.mark.parametrize("text", [
    "The army vowed to retake the town of Saraqib within days.",
    "Analysts said rebels could capture Hama if the army does not reinforce it.",
    "Floods swept through the Sudanese town of Kassala on Monday, killing 12 people.",
])
def test_threats_hypotheticals_and_disasters_yield_no_event(text):
    assert _events(text, date(2024, 12, 1)) == []


def test_an_event_without_a_place_is_not_coded():
    assert _events("Rebels captured dozens of soldiers on Friday.", date(2024, 12, 1)) == []


def test_a_lead_that_restates_a_dated_takeover_adds_no_second_event():
    text = ("Rebels have shifted the balance of power by regaining control over Saraqib.\n"
            "Opposition fighters captured Saraqib on November 29 after a week of clashes.\n"
            "Through the operation, the opposition succeeded in recapturing Saraqib and nearby villages.\n")
    takeovers = [e for e in _events(text, date(2024, 12, 4)) if e.event_type == "Battles"]
    assert [(e.location, e.event_date) for e in takeovers] == [("Saraqib", date(2024, 11, 29))]
    assert "November 29" in takeovers[0].evidence


def test_the_narrative_day_of_the_sentence_before_dates_a_new_event_at_the_same_place():
    text = ("Rebels launched an incursion on Wednesday into a dozen villages in the province of Aleppo.\n"
            "On Friday they entered the city of Aleppo.\n"
            "The army said it continued to confront the insurgents' push into the countryside of Aleppo.\n")
    clashes = [e for e in _events(text, date(2024, 11, 29)) if e.geo_precision == 3]
    assert sorted(e.event_date for e in clashes) == [date(2024, 11, 27), date(2024, 11, 29)]


@pytest.mark.xfail(strict=True, reason="the event model proposes a takeover for 'has now granted the Arakan Army "
                   "control of Buthidaung', the outcome of a six-month campaign")
def test_a_campaign_given_a_duration_or_running_since_a_date_is_not_an_event():
    text = ("The six-month offensive in Maungdaw has now granted the Arakan Army control of Buthidaung.\n"
            "The campaign has been ongoing since the launch of Operation 1027, resulting in the capture "
            "of large swathes of northern Shan State.\n")
    assert _events(text, date(2024, 12, 9)) == []


def test_an_agreement_is_placed_where_it_applies_not_where_it_was_signed():
    text = ("In mid-September 2017, Turkiye, Russia and Iran reached an agreement in Astana to establish a "
            "de-escalation zone in Idlib, Syria.\n")
    agreements = [e for e in _events(text, date(2017, 9, 20)) if e.sub_event_type == "Agreement"]
    assert [e.country for e in agreements] == ["SY"]


@pytest.mark.xfail(strict=True, reason="the event model gives 'secured long-term leases' as an agreement 0.2 "
                   "and vetoes it")
def test_an_outcome_told_after_a_comma_is_not_where_the_event_happened():
    text = ("In 2017, Moscow secured long-term leases for the naval base in Tartus, ensuring its presence "
            "on the Mediterranean coast for 49 years.\n")
    assert [e.location for e in _events(text, date(2017, 6, 1))] == ["Ţarţūs"]


def test_by_after_a_noun_below_the_trigger_names_that_noun_s_agent():
    text = ("In 2016, Russian airstrikes on Aleppo’s eastern neighborhoods during its siege by Assad’s regime "
            "forced opposition forces out.\n")
    strikes = [e for e in _events(text, date(2016, 12, 30)) if e.sub_event_type == "Air/drone strike"]
    assert [(e.location, e.actor1) for e in strikes] == [("Aleppo", "Military Forces of Russia")]


@pytest.mark.parametrize("text, published, expected", [
    ("NAIROBI, Kenya (AP) — Protesters stormed parliament on Tuesday and set part of the building on fire.\n",
     date(2024, 6, 26), {("Riots", "Violent demonstration")}),
    ("Members of a gang stormed the town of Saint-Marc early Thursday, shooting people in their homes.\n",
     date(2024, 10, 4), {("Violence against civilians", "Attack")}),
    ("One person was killed on Friday when supporters of two rival groups fought with sticks and machetes "
     "in Narsingdi, police said.\n", date(2025, 2, 9), {("Riots", "Mob violence")}),
    ("Two members wearing explosive belts carried out the twin blasts that killed 84 people at a memorial "
     "in Kerman on Wednesday.\n", date(2024, 1, 4), {("Explosions/Remote violence", "Suicide bomb")}),
])
def test_who_is_on_each_side_decides_the_event_type(text, published, expected):
    assert {(e.event_type, e.sub_event_type) for e in _events(text, published)} == expected


def test_an_event_on_the_road_between_two_towns_is_coded_at_the_first():
    text = ("Four Malian soldiers died on Monday when their vehicle struck a landmine on the road between Gao "
            "and Ansongo.\n")
    mines = _events(text, date(2024, 2, 7))
    assert [(e.sub_event_type, e.location) for e in mines] == [("Remote explosive/landmine/IED", "Gao")]


def test_the_capital_and_the_town_stand_for_places_named_before():
    text = ("PORT-AU-PRINCE, Haiti (AP) — Hundreds of residents of Saint-Marc marched through the town on Friday.\n"
            "Police arrested two suspected gang members at a checkpoint on the edge of the town the same afternoon.\n"
            "In the capital, police officers exchanged fire with gang members on Wednesday.\n")
    events = {e.sub_event_type: e for e in _events(text, date(2024, 10, 5))}
    assert events["Arrests"].location == "Saint-Marc" and events["Arrests"].geo_precision == 2
    assert events["Armed clash"].location == "Port-au-Prince"


def test_a_town_s_district_or_region_named_beside_it_is_no_second_event():
    text = ("Wazalendo militiamen and M23 rebels traded fire on Saturday in the hills near Sake, in North "
            "Kivu's Masisi territory, local leaders said.\n")
    assert [e.location for e in _events(text, date(2024, 8, 26))] == ["Sake"]


@pytest.mark.parametrize("text", [
    "Clashes between Fano militiamen and federal troops have continued across Amhara for more than a year.\n",
    "The army deployed a new battalion to reinforce the besieged town of Djibo on Thursday.\n",
])
def test_campaigns_and_qualifying_words_are_no_battles(text):
    assert not [e for e in _events(text, date(2024, 9, 25)) if e.event_type == "Battles"]


def test_settlers_storming_a_village_and_shooting_a_man_is_one_attack():
    text = ("Dozens of Israeli settlers stormed the Palestinian village of Jit near Qalqilya yesterday evening "
            "and shot dead a 23-year-old man, the health ministry said.\n")
    assert [(e.event_type, e.location) for e in _events(text, date(2024, 8, 16))] == [
        ("Violence against civilians", "Jīt")]



@pytest.mark.parametrize("text, expected", [
    ("Gunmen opened fire on tourists in a meadow near Pahalgam on Tuesday afternoon, killing 26 men, police said.\n",
     {("Violence against civilians", "Attack")}),
    ("A crowd beat to death a butcher accused of blasphemy at a market in Sokoto on Sunday, police said.\n",
     {("Riots", "Mob violence")}),
    ("A crowd of hundreds torched churches and dozens of homes in Jaranwala, Punjab, on Wednesday.\n",
     {("Riots", "Mob violence")}),
    ("A fuel tanker overturned and exploded on a highway in Jigawa state on Tuesday night as residents scooped up "
     "spilled petrol, killing at least 140 people.\n", set()),
])
def test_who_kills_decides_whether_and_how_it_is_coded(text, expected):
    assert {(e.event_type, e.sub_event_type) for e in _events(text, date(2025, 4, 23))} == expected


@pytest.mark.parametrize("text, published, expected", [
    ("Junta soldiers raped a 16-year-old girl during a raid on a village near Monywa on 12 March, officials said.\n",
     date(2024, 3, 18), {("Sexual violence", "Monywa")}),
    ("Hundreds of Israeli settlers rampaged through the Palestinian town of Huwara on Sunday night, torching homes "
     "and cars.\n", date(2023, 2, 27), {("Attack", "Huwara")}),
    ("Mortar rounds that slammed into the Mugunga displacement camp near Goma on Friday killed 12 people, and "
     "Kinshasa blamed the M23 rebels.\n", date(2024, 5, 4), {("Shelling/artillery/missile attack", "Goma")}),
    ("At least 32 people were killed on Friday when a suicide bomber detonated his vest at Lido beach in "
     "Mogadishu, police said.\n", date(2024, 8, 3), {("Suicide bomb", "Mogadishu")}),
    pytest.param("Soldiers seized two drones fitted with homemade explosive charges and 15 rifles at a ranch near Culiacán on "
     "Sunday.\n",
     date(2025, 1, 27), {("Disrupted weapons use", "Culiacán")},
                 marks=pytest.mark.xfail(strict=True, reason="the event model disagrees: it gives the seizure too little weight as a disrupted cache (0.19) and vetoes it")),
    ("By Thursday, police said they had recaptured 150 of the escaped inmates in Maputo.\n",
     date(2025, 1, 27), {("Arrests", "Maputo")}),
    ("On 2 August, soldiers detained 12 young men at a checkpoint outside Kyaukme and took them to an unknown "
     "location.\n",
     date(2025, 1, 27), {("Abduction/forced disappearance", "Kyaukme")}),
    ("Gunmen fighting alongside the Sudanese army killed at least 13 people in Wad Madani on Sunday, a rights "
     "group said.\n",
     date(2025, 1, 27), {("Attack", "Wad Medani")}),
    ("Turkish police used pepper spray to disperse students protesting the detention of the mayor in Istanbul on "
     "23 March.\n",
     date(2025, 1, 27), {("Protest with intervention", "Istanbul")}),
    ("Hours later, soldiers surrounded a house in Burqin, just west of Jenin, and killed two men wanted over a "
     "shooting attack on a bus near the settlement of Kedumim, the army said.\n",
     date(2025, 1, 24), {("Attack", "Birqīn")}),
    ("South Sudan's government imposed a dusk-to-dawn curfew across the country on Friday.\n",
     date(2025, 1, 24), {("Other", "South Sudan")}),
    pytest.param("Protests began after two opposition figures were shot dead in their car in Maputo on 19 October.\n",
     date(2025, 1, 24), {("Attack", "Maputo")},
                 marks=pytest.mark.xfail(strict=True, reason="the event model disagrees: it reads the killing before a protest as excessive force against the protest")),
    ("Russia's defence ministry accused Ukrainian units of firing grenades filled with an irritant chemical at "
     "its troops near Bakhmut on Tuesday.\n",
     date(2024, 2, 8), {("Chemical weapon", "Bakhmut")}),
    ("Pakistani artillery pounded Poonch town along the Line of Control on Wednesday, killing 12 civilians.\n",
     date(2024, 2, 8), {("Shelling/artillery/missile attack", "Pūnch")}),
    ("Bandits burnt down a police station and several shops in Maru, Zamfara state, on Sunday night.\n",
     date(2024, 2, 8), {("Looting/property destruction", "Maru")}),
    ("Tuareg-led rebels moved into the former UN camp in Kidal on Tuesday without a shot being fired.\n",
     date(2024, 2, 8), {("Non-violent transfer of territory", "Kidal")}),
    ("In Ramallah, several hundred people marched on Wednesday in solidarity with Jenin, chanting slogans.\n",
     date(2025, 1, 24), {("Peaceful protest", "Ramallah")}),
    ("In Kisumu, police fired tear gas to disperse hundreds of protesters who had blocked the Kisumu-Kakamega "
     "highway.\n", date(2024, 6, 26), {("Protest with intervention", "Kisumu")}),
    ("The MNDAA says it killed or captured more than 1,000 soldiers in the battle for Lashio.\n",
     date(2024, 8, 9), set()),
    # A town 60 km away does not stand in for an unknown settlement: the strike is coded at the
    # country the sentence names (no event is lost for want of a place).
    ("On Jan. 12 army warplanes struck RSF positions in Kambo Tayba, a settlement about 60 km (37 miles) east "
     "of Wad Madani in Sudan.\n", date(2025, 1, 20), {("Air/drone strike", "Sudan")}),
    ("On Jan. 12 army warplanes struck RSF positions in Kambo Tayba, a settlement about 10 km east of Wad Madani "
     "in Sudan.\n", date(2025, 1, 20), {("Air/drone strike", "Wad Medani")}),
    ("Members of civil society and lawyers held a candlelight vigil outside the Quetta Press Club on Wednesday "
     "evening.\n", date(2025, 3, 13), {("Peaceful protest", "Quetta")}),
    pytest.param("Residents of Eldorado in Mexico's Sinaloa state said a drone dropped an explosive device on a house on "
     "Friday, wounding a woman.\n",
     date(2024, 9, 17), {("Air/drone strike", "Eldorado")},
                 marks=pytest.mark.xfail(strict=True, reason="the event model disagrees: it proposes an IED for the device the drone dropped")),
    ("Bandits looted shops and drove away cattle in Sabon Birni on Monday night, residents said, adding that "
     "nobody was hurt.\n", date(2024, 10, 2), {("Looting/property destruction", "Sabon Birni")}),
])
def test_sentences_are_coded_by_acled_rules(text, published, expected):
    """Sub-type and place of each event: who acted, what was taken, where it happened."""
    assert {(e.sub_event_type, e.location) for e in _events(text, published)} == expected


def test_two_days_of_fighting_are_two_events():
    text = ("Government troops fought al-Shabaab militants on the outskirts of Baidoa on Monday and again on "
            "Tuesday, an officer said.\n")
    assert sorted(e.event_date for e in _events(text, date(2025, 4, 17))) == [date(2025, 4, 14), date(2025, 4, 15)]
