"""The actors stage: phrases in real sentences normalised to one actor each, with ACLED inter codes."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from frontlines.actors import _build_table, country_names, extract_actors, main_country
from frontlines.ingest import iter_documents
from frontlines.models import Actor, ActorMention, Document, Place
from frontlines.nlp import parse
from frontlines.places import extract_places

SYRIAN_MILITARY = Actor("Military Forces of Syria", 1, "SY")
HTS_LED = Actor("Syrian opposition (HTS-led)", 2, "SY")
RUSSIAN_MILITARY = Actor("Military Forces of Russia", 1, "RU")


def actors_in(text: str) -> list[ActorMention]:
    """Run the stage as the pipeline does: places first, then actors against the article's country."""
    return extract_actors(text, extract_places(parse(text)))


def by_phrase(mentions: list[ActorMention]) -> dict[str, set[Actor]]:
    out: dict[str, set[Actor]] = {}
    for m in mentions:
        out.setdefault(m.text, set()).add(m.actor)
    return out


def test_names_for_the_syrian_army_are_one_actor() -> None:
    text = ("Assad's forces, regime forces and the Syrian army pulled back from Aleppo, Syria, "
            "on Friday.")
    found = by_phrase(actors_in(text))
    assert found["Assad's forces"] == found["regime forces"] == found["Syrian army"] == {SYRIAN_MILITARY}


def test_curly_apostrophe_matches_too() -> None:
    found = by_phrase(actors_in("Assad’s forces withdrew from Hama in Syria."))
    assert found["Assad’s forces"] == {SYRIAN_MILITARY}


def test_opposition_phrases_are_the_hts_led_opposition_in_a_syria_article() -> None:
    text = ("Opposition factions and HTS-led rebels entered Saraqib in Idlib province, Syria, "
            "as government forces withdrew.")
    found = by_phrase(actors_in(text))
    assert found["Opposition factions"] == {HTS_LED}
    assert found["HTS-led rebels"] == {HTS_LED}
    # the generic phrase takes the article's country
    assert found["government forces"] == {SYRIAN_MILITARY}


def test_local_aliases_do_not_apply_outside_their_country() -> None:
    found = by_phrase(actors_in("Opposition factions advanced in Kharkiv, Ukraine, on Monday."))
    assert HTS_LED not in {a for actors in found.values() for a in actors}


def test_demonym_and_force_noun_is_that_state_military() -> None:
    mentions = actors_in("Russian warplanes bombed the outskirts of Idlib in Syria on Sunday.")
    assert [(m.text, m.actor) for m in mentions] == [("Russian warplanes", RUSSIAN_MILITARY)]


def test_two_demonyms_sharing_a_force_noun_give_both_actors() -> None:
    text = "Syrian and Russian warplanes struck Saraqib in Idlib province, Syria."
    mentions = [m for m in actors_in(text) if m.text == "Syrian and Russian warplanes"]
    assert {m.actor for m in mentions} == {SYRIAN_MILITARY, RUSSIAN_MILITARY}
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_demonym_force_noun_works_for_countries_without_an_alias() -> None:
    found = by_phrase(actors_in("Ethiopian troops crossed into Somalia on Thursday."))
    (actor,) = found["Ethiopian troops"]
    assert (actor.name, actor.inter, actor.country) == ("Military Forces of Ethiopia", 1, "ET")


def test_acronyms_match_case_sensitively() -> None:
    found = by_phrase(actors_in("The AA said it had captured Maungdaw in Rakhine State, Myanmar."))
    assert found["AA"] == {Actor("Arakan Army (AA)", 2, "MM")}
    lower = actors_in("An aa battery was found near Maungdaw in Rakhine State, Myanmar.")
    assert [m for m in lower if m.text.lower() == "aa"] == []


def test_generic_government_forces_in_a_sudan_article() -> None:
    text = "Government forces shelled El Fasher in North Darfur, Sudan, residents said."
    found = by_phrase(actors_in(text))
    assert found["Government forces"] == {Actor("Military Forces of Sudan", 1, "SD")}
    assert found["residents"] == {Actor("Civilians (Sudan)", 7, "SD")}


def test_article_naming_no_country_is_about_no_country() -> None:
    text = "Militants attacked a checkpoint overnight, killing two soldiers, the army said."
    assert main_country([], text) is None
    assert extract_actors(text, []) == []


@pytest.mark.parametrize(("text", "phrase", "name", "inter"), [
    ("HTS fighters entered Aleppo, Syria.", "HTS", "Syrian opposition (HTS-led)", 2),
    ("Iran-backed militias withdrew from Aleppo, Syria.", "Iran-backed militias",
     "Iran-backed militias", 3),
    ("Protesters gathered in Khartoum, Sudan, on Friday.", "Protesters", "Protesters (Sudan)", 6),
    ("Rioters burned cars in Khartoum, Sudan, on Friday.", "Rioters", "Rioters (Sudan)", 5),
    ("Wagner mercenaries were seen near Bamako, Mali.", "Wagner mercenaries", "Wagner Group", 8),
    ("The RSF shelled El Fasher, Sudan.", "RSF", "Rapid Support Forces (RSF)", 2),
    ("Police arrested three men in Khartoum, Sudan.", "Police", "Police Forces of Sudan", 1),
])
def test_inter_codes(text: str, phrase: str, name: str, inter: int) -> None:
    (actor,) = by_phrase(actors_in(text))[phrase]
    assert (actor.name, actor.inter) == (name, inter)


def test_offsets_point_at_the_phrase() -> None:
    text = "Fighting raged as regime forces and opposition fighters clashed near Hama, Syria."
    for m in actors_in(text):
        assert text[m.start:m.end] == m.text


def test_main_country_counts_places_and_demonyms() -> None:
    aleppo = Place("Aleppo", 0, 6, name="Aleppo", kind="city", country="SY", latitude=36.2, longitude=37.16)
    russia = Place("Russia", 10, 16, name="Russia", kind="country", country="RU", latitude=60, longitude=100)
    assert main_country([aleppo, russia]) == "SY"  # a town counts twice a country
    assert main_country([], "Sudanese and Sudanese and Syrian") == "SD"
    assert main_country([]) is None


def test_seed_article_actors(seed_path: Path) -> None:
    (document,) = iter_documents([str(seed_path)])
    assert isinstance(document, Document)
    mentions = extract_actors(document.text, extract_places(parse(document.text)))
    found = by_phrase(mentions)
    assert found["Assad's forces"] == {SYRIAN_MILITARY}
    assert found["opposition factions"] == {HTS_LED}
    assert found["Russian warplanes"] == {RUSSIAN_MILITARY}
    # the researcher's think tank is not an actor
    assert not any("Harmoon" in m.text for m in mentions)


def test_actor_data_file_is_well_formed() -> None:
    with resources.files("frontlines").joinpath("data/actors.toml").open("rb") as f:
        data = tomllib.load(f)
    names = [rec["name"] for rec in data["actor"]]
    assert len(names) == len(set(names))
    for rec in data["actor"] + data["generic"]:
        assert 1 <= int(rec["inter"]) <= 8, rec["name"]
        assert rec["aliases"], rec["name"]
    for rec in data["generic"]:
        assert "{country}" in rec["name"]


# --- conflicts beyond the shared corpus ----------------------------------------------------------


def actor_of(text: str, phrase: str) -> Actor:
    (actor,) = by_phrase(actors_in(text))[phrase]
    return actor


@pytest.mark.parametrize(("text", "phrase", "name", "country"), [
    ("Ugandan troops crossed into Ituri province, Congo, on Sunday.", "Ugandan troops",
     "Military Forces of Uganda", "UG"),
    ("Kenyan police fired tear gas at protesters in Nairobi on Tuesday.", "Kenyan police",
     "Police Forces of Kenya", "KE"),
    ("Sudan's army said it had retaken the presidential palace in Khartoum.", "Sudan's army",
     "Military Forces of Sudan", "SD"),
    ("The Armed Forces of the Democratic Republic of the Congo said they had repelled an attack "
     "near Sake.", "Armed Forces of the Democratic Republic of the Congo",
     "Military Forces of Democratic Republic of the Congo", "CD"),
    ("Philippine army troops clashed with communist rebels in Samar province.", "Philippine army",
     "Military Forces of Philippines", "PH"),
    ("Nigerien gendarmes arrested a local journalist in Niamey.", "Nigerien gendarmes",
     "Police Forces of Niger", "NE"),
    ("Israeli air strikes hit the southern suburbs of Beirut overnight.", "Israeli air strikes",
     "Military Forces of Israel", "IL"),
    ("Iran's foreign ministry condemned the strikes on Sanaa.", "Iran's foreign ministry",
     "Government of Iran", "IR"),
])
def test_state_forces_of_any_country(text: str, phrase: str, name: str, country: str) -> None:
    actor = actor_of(text, phrase)
    assert (actor.name, actor.inter, actor.country) == (name, 1, country)


def test_coordinated_adjectives_give_each_state_its_forces() -> None:
    text = "US and British warplanes struck Houthi targets in Hodeidah, Yemen, on Friday."
    found = by_phrase(actors_in(text))
    assert {a.name for a in found["US and British warplanes"]} == {
        "Military Forces of United States", "Military Forces of United Kingdom"}
    assert found["Houthi"] == {Actor("Houthis (Ansar Allah)", 2, "YE")}
    assert "warplanes" not in found  # not Yemen's own air force


@pytest.mark.parametrize(("text", "phrase", "name"), [
    ("Russia's defence ministry said on Monday that its forces had captured Kurakhove in "
     "Ukraine's Donetsk region.", "its forces", "Military Forces of Russia"),
    ("The Israeli military said its jets struck Hezbollah positions near Nabatieh, Lebanon.",
     "its jets", "Military Forces of Israel"),
    ("Al-Shabaab said its fighters had overrun a base near Adan Yabaal, Somalia.",
     "its fighters", "Al-Shabaab"),
    # a government's troops are its military
    ("The government said its troops had killed 70 militants near Balcad, Somalia.",
     "its troops", "Military Forces of Somalia"),
    ("The Rwanda Defence Force denied that its soldiers had crossed into North Kivu, Congo.",
     "its soldiers", "Military Forces of Rwanda"),
])
def test_possessive_pronouns_name_the_actor_before_them(text: str, phrase: str, name: str) -> None:
    mentions = [m for m in actors_in(text) if m.text == phrase]
    assert [m.actor.name for m in mentions] == [name]
    assert all(text[m.start:m.end] == phrase for m in mentions)


def test_a_possessive_does_not_reach_into_the_previous_sentence() -> None:
    text = "Residents fled Minova in eastern Congo. Its fighters were seen later, officials said."
    assert not [m for m in actors_in(text) if m.text == "Its fighters"]


@pytest.mark.parametrize(("text", "phrase", "name", "inter"), [
    ("Al-Shabaab militants captured Adan Yabaal in Middle Shabelle, Somalia, on Wednesday.",
     "militants", "Al-Shabaab", 2),
    ("M23 rebels captured Minova in South Kivu, Congo, on Tuesday.", "M23 rebels",
     "March 23 Movement (M23)", 2),
    ("JNIM fighters attacked an army post near Djibo, Burkina Faso.", "JNIM fighters",
     "JNIM: Jamaat Nusrat al-Islam wal-Muslimin", 2),
    ("Boko Haram fighters raided a village near Gwoza in Borno state, Nigeria.",
     "Boko Haram fighters", "Boko Haram (JAS)", 2),
    ("The Pakistani Taliban claimed the attack on a checkpoint in Bannu, Pakistan.",
     "Pakistani Taliban", "Tehrik-i-Taliban Pakistan (TTP)", 2),
    ("Taliban forces clashed with Pakistani troops at the Torkham crossing, Afghanistan.",
     "Taliban forces", "Military Forces of Afghanistan", 1),
    # in Pakistan "the Taliban" are mostly the Pakistani movement
    ("Taliban militants attacked a police post in Lakki Marwat, Pakistan.", "Taliban militants",
     "Tehrik-i-Taliban Pakistan (TTP)", 2),
    ("ELN guerrillas attacked a military base in Arauca, Colombia.", "ELN guerrillas",
     "National Liberation Army (ELN)", 2),
    ("FARC dissidents set off a car bomb in Jamundí, Colombia.", "FARC dissidents",
     "FARC dissidents", 2),
    ("Fano militiamen and federal troops fought in Debre Markos, Ethiopia.", "Fano militiamen",
     "Fano Militia", 3),
    ("Members of the Gran Grif gang stormed Pont-Sondé in Haiti.", "Gran Grif gang", "Gran Grif", 3),
    ("Viv Ansanm gangs seized Mirebalais, Haiti, on Monday.", "Viv Ansanm", "Viv Ansanm", 3),
    ("CJNG gunmen ambushed state police in Jalisco, Mexico.", "CJNG",
     "Jalisco New Generation Cartel (CJNG)", 3),
    ("The Kachin Independence Army took Bhamo, Myanmar, after weeks of fighting.",
     "Kachin Independence Army", "Kachin Independence Army (KIA)", 2),
    ("NPA rebels ambushed soldiers in Northern Samar, Philippines.", "NPA rebels",
     "New People's Army (NPA)", 2),
    ("Hundreds of Israeli settlers attacked the village of Huwara in the West Bank.",
     "Israeli settlers", "Settlers (Israel)", 4),
    ("MONUSCO peacekeepers exchanged fire with militiamen near Bunia, Congo.", "MONUSCO",
     "United Nations Organization Stabilization Mission in the DR Congo (MONUSCO)", 8),
    ("Africa Corps instructors arrived in Niamey, Niger.", "Africa Corps", "Wagner Group", 8),
    ("Volunteers for the Defence of the Homeland repelled an attack near Kaya, Burkina Faso.",
     "Volunteers for the Defence of the Homeland", "Volunteers for the Defence of the Homeland (VDP)", 3),
    ("Gunmen abducted 280 pupils from a school in Kuriga, Nigeria.", "Gunmen",
     "Unidentified Armed Group (Nigeria)", 3),
    ("Clan militias fought al-Shabaab near Harardhere, Somalia.", "Clan militias",
     "Unidentified Communal Militia (Somalia)", 4),
])
def test_armed_groups_of_current_conflicts(text: str, phrase: str, name: str, inter: int) -> None:
    actor = actor_of(text, phrase)
    assert (actor.name, actor.inter) == (name, inter)


def test_the_longest_phrase_wins() -> None:
    found = by_phrase(actors_in("Pakistani Taliban fighters attacked a post in Bannu, Pakistan."))
    assert "Taliban" not in found
    found = by_phrase(actors_in("The government forces entered Wad Madani, Sudan, on Saturday."))
    assert found["government forces"] == {Actor("Military Forces of Sudan", 1, "SD")}
    assert "The government" not in found


def test_a_local_alias_wins_in_its_country() -> None:
    """In Cabo Delgado "al-Shabaab" is the Islamic State's local affiliate, not the Somali group."""
    somalia = actor_of("Al-Shabaab fighters attacked the town of Balcad, Somalia.", "Al-Shabaab")
    assert somalia == Actor("Al-Shabaab", 2, "SO")
    mozambique = actor_of("Al-Shabaab fighters attacked Mocímboa da Praia, Mozambique.", "Al-Shabaab")
    assert mozambique == Actor("Islamic State Mozambique Province (ISM)", 2, "MZ")


def test_islamic_state_is_its_province_where_one_fights() -> None:
    assert actor_of("Islamic State fighters attacked Malam Fatori, Nigeria.",
                    "Islamic State fighters").name == "Islamic State West Africa Province (ISWAP)"
    assert actor_of("Islamic State fighters attacked a shrine in Kerman, Iran.",
                    "Islamic State fighters").name == "Islamic State (IS)"


def test_kenyan_police_in_haiti_are_the_multinational_mission() -> None:
    mss = actor_of("Kenyan police officers exchanged fire with gang members in Port-au-Prince, Haiti.",
                   "Kenyan police officers")
    assert (mss.name, mss.inter) == ("Multinational Security Support Mission (MSS)", 8)
    home = actor_of("Kenyan police officers dispersed protesters in Nairobi, Kenya.", "Kenyan police officers")
    assert home.name == "Police Forces of Kenya"


def test_generic_groups_are_the_group_the_article_names() -> None:
    text = ("Members of the Gran Grif gang stormed Pont-Sondé in Haiti on Thursday. The gang also "
            "torched 45 houses. Boko Haram and ISWAP fighters clashed in Borno, Nigeria.")
    found = by_phrase(actors_in(text))
    assert found["The gang"] == {Actor("Gran Grif", 3, "HT")}
    # a generic noun right after a name is that name's
    assert found["fighters"] == {Actor("Islamic State West Africa Province (ISWAP)", 2, "NG")}


@pytest.mark.parametrize("text", [
    "Rohingya forces were blamed for the attack near Maungdaw, Myanmar.",
    "Pro-Russian forces held the town of Horlivka, Ukraine.",
    "Iranian-backed militias fired rockets at a base in Deir ez-Zor, Syria.",
])
def test_a_people_or_a_patron_is_no_state_army(text: str) -> None:
    names = {m.actor.name for m in actors_in(text)}
    assert not {n for n in names if n.startswith("Military Forces of")} - {"Military Forces of Syria"}


def test_state_actors_named_in_the_file_match_the_generic_names() -> None:
    """"Taliban" and "Assad's forces" must be the same actor as "Afghan troops" and "Syrian troops"."""
    with resources.files("frontlines").joinpath("data/actors.toml").open("rb") as f:
        data = tomllib.load(f)
    templates = [rec["name"] for rec in data["generic"] if rec["inter"] == 1]
    for rec in data["actor"]:
        for template in templates:
            if rec["name"].startswith(template.split("{country}")[0]):
                assert rec["name"] == template.format(country=country_names()[rec["country"]]), rec["name"]


def test_each_phrase_names_one_actor_wherever_it_applies() -> None:
    with resources.files("frontlines").joinpath("data/actors.toml").open("rb") as f:
        data = tomllib.load(f)
    seen: dict[tuple[str, str | None], str] = {}
    for rec in data["actor"]:
        local_to = rec.get("local_to", [rec.get("country")])
        keys = [(p.casefold(), None) for p in rec["aliases"]]
        keys += [(p.casefold(), country) for p in rec.get("local_aliases", []) for country in local_to]
        for key in keys:
            assert seen.setdefault(key, rec["name"]) == rec["name"], key


def test_a_malformed_generic_phrase_is_a_clear_error() -> None:
    bad = {"generic": [{"name": "Military Forces of {country}", "inter": 1,
                        "aliases": ["{demonym} troops in {country}"]}]}
    with pytest.raises(ValueError, match="exactly one"):
        _build_table(bad)
