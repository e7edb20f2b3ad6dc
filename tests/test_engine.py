from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bot.engine import KINDS, Engine
from bot.errors import ModelError
from bot.triage import Signals, TriageLimits, load_urgency
from bot.triage import vetoed as triage_vetoed


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        pytest.param("calcium", "calcium-per-dag", id="one-word-calcium"),
        pytest.param("dexa", "dexa-scan", id="one-word-dexa"),
        pytest.param("zuivel", "calcium-voeding", id="one-word-zuivel"),
        pytest.param("hoevel kalcium per dag", "calcium-per-dag", id="typos-calcium"),
        pytest.param("wat is osteopinie", "wat-is-osteopenie", id="typo-osteopenie"),
        pytest.param("hoeveel kalk heb ik nodig", "calcium-per-dag", id="synonym-kalk"),
        pytest.param("wanneer neem ik mijn kalktabletten", "supplementen", id="compound-kalk"),
        pytest.param("wat meet een botscan", "dexa-scan", id="synonym-botscan"),
        pytest.param("mag ik nog een wijntje", "alcohol-koffie-zout", id="diminutive-wine"),
        pytest.param("moet ik echt stoppen met sigaretten", "roken", id="smoking"),
        pytest.param("moet ik terug voor controle", "controle", id="check-up"),
        pytest.param("what is osteopenia", "wat-is-osteopenie", id="english-what"),
        pytest.param("how much vitamin d a day", "vitamine-d-tablet", id="english-dose"),
        pytest.param(
            "Goedemiddag. Mijn vader van 81 heeft osteopenie, zei de internist. "
            "Hij lust geen melk. Wat kan hij dan nemen voor zijn calcium?",
            "geen-melk",
            id="rambling-relative",
        ),
    ],
)
def test_answers(engine: Engine, question: str, entry: str) -> None:
    decision = engine.ask(question)
    assert decision.kind == "answer", decision
    assert decision.entry is not None and decision.entry.id == entry


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("hoeveel calcium zit er in spinazie?", id="near-miss-food"),
        pytest.param("mag ik alendronaat met melk innemen?", id="near-miss-medicine"),
        pytest.param("wat kost een dexa scan?", id="near-miss-cost"),
        pytest.param("waar kan ik parkeren", id="off-topic"),
        pytest.param("wat is de hoofdstad van peru", id="off-topic-geography"),
    ],
)
def test_near_misses_fall_back(engine: Engine, question: str) -> None:
    decision = engine.ask(question)
    assert decision.kind == "fallback", decision
    assert decision.reason == "unknown"


def test_near_miss_offers_the_nearest_topics(engine: Engine) -> None:
    decision = engine.ask("hoeveel calcium zit er in spinazie?")
    assert decision.kind == "fallback"
    assert 1 <= len(decision.options) <= 3
    assert "calcium" in {o.entry.section for o in decision.options}
    scores = [o.score for o in decision.options]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("question", "referral"),
    [
        pytest.param("wat kost een dexa scan?", "costs", id="costs"),
        pytest.param("wordt de botscan vergoed door mijn verzekering", "costs", id="insurance"),
        pytest.param("mag ik alendronaat met melk innemen?", "medicine", id="medicine"),
        pytest.param("waar kan ik parkeren", None, id="huisarts"),
    ],
)
def test_a_fallback_points_to_the_right_place(
    engine: Engine, question: str, referral: str | None
) -> None:
    decision = engine.ask(question)
    assert (decision.kind, decision.referral) == ("fallback", referral)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("ik ben gevallen en heb heel veel pijn", id="fall-pain"),
        pytest.param("mijn moeder kan niet meer opstaan", id="cannot-stand"),
        pytest.param("zijn been staat scheef", id="limb-out-of-shape"),
        pytest.param("opeens hevige rugpijn", id="sudden-back-pain"),
        pytest.param("ik heb pijn op de borst", id="chest-pain"),
        pytest.param("I fell and I can't walk", id="english-fall"),
        pytest.param("mijn vader praat ineens raar en zijn mond hangt scheef", id="stroke-face"),
        pytest.param("hij spreekt opeens onduidelijk", id="stroke-speech"),
        pytest.param("ik heb een beroerte denk ik", id="stroke-named"),
        pytest.param("mijn moeder ligt op de grond en is verward", id="on-the-floor"),
        pytest.param("ik kan mijn arm niet meer bewegen na de val", id="cannot-move-limb"),
        pytest.param("het bloed blijft maar komen", id="bleeding"),
        pytest.param("zware druk op mn borst", id="chest-pressure"),
        pytest.param("opa kan niet op zijn benen staan na het vallen", id="cannot-stand-on-legs"),
        pytest.param("zijn enkel is opgezwollen sinds hij viel", id="swollen-after-fall"),
        pytest.param("haar knie staat raar sinds de val", id="limb-odd"),
        pytest.param("her arm looks twisted after she slipped", id="limb-twisted-en"),
        pytest.param("ik lig op de vloer, ik ben gevallen", id="floor-after-fall"),
        pytest.param("ik kan mijn been niet beweeg", id="limb-typo"),
        pytest.param("opa komt niet meer overeind", id="cannot-get-up-komt"),
        pytest.param("ze kan niet meer rechtstaan", id="cannot-get-up-flemish"),
        pytest.param("hij ligt al uren op de vloer en komt niet omhoog", id="floor-for-hours"),
        pytest.param("pa is gevallen en is nu erg in de war", id="confused-after-fall"),
        pytest.param("ik ben gevallen en de pijn is ondraaglijk", id="pain-unbearable"),
        pytest.param("she slipped and is screaming with pain", id="pain-shown"),
        pytest.param("zijn been is korter en de voet draait naar buiten", id="leg-shortened"),
        pytest.param("I can't put any weight on my foot since I fell", id="no-weight"),
        pytest.param("ik kan me niet meer verroeren van de pijn", id="cannot-move-myself"),
        pytest.param("een beklemmend gevoel op de borst", id="chest-tight-nl"),
        pytest.param("my chest feels heavy and tight", id="chest-tight-en"),
        pytest.param("hij hapt naar adem", id="gasping-nl"),
        pytest.param("her lips are turning blue", id="lips-blue"),
        pytest.param("he is suddenly slurring his words", id="slurring"),
        pytest.param("oma is niet aanspreekbaar", id="unresponsive-nl"),
        pytest.param("he isn't responding to me", id="unresponsive-en"),
        pytest.param("blood is pouring from her head", id="bleeding-pouring"),
        pytest.param("dad slipped in the bath and hit his head", id="head-after-slip"),
        pytest.param("ik krijg mijne asem nie meer", id="flemish-breath"),
        pytest.param("plots hevige pijn in mijn rug", id="flemish-sudden-back"),
        pytest.param(
            "mijn kleinzoon heeft een hele doos pijnstillers opgegeten", id="poisoning-nl"
        ),
        pytest.param("she swallowed some drain cleaner by mistake", id="poisoning-corrosive"),
        pytest.param("I took way too many of my sleeping pills", id="poisoning-en"),
        pytest.param(
            "sinds gisteren heb ik zwarte ontlasting en ik ben duizelig", id="black-stools"
        ),
        pytest.param("het voelt alsof er een olifant op mijn borst zit", id="chest-weight"),
        pytest.param("opa hapt naar adem", id="gasping-nl"),
        pytest.param("hij is gevalle en kan zijn been nie bewege", id="dropped-final-n"),
        pytest.param("ze ligt op de badkamervloer en is in de war", id="floor-compound"),
        pytest.param("haar linkerbeen ligt raar gedraaid", id="left-leg"),
        pytest.param(
            "vorig jaar had hij een beroerte en nu hangt zijn mond weer scheef", id="old-and-now"
        ),
        pytest.param(
            "mijn kleindochter heeft pillen uit mijn pillendoos gegeten", id="child-pills"
        ),
        pytest.param("she choked on a tablet and it is stuck", id="choking"),
        pytest.param("ik heb ineens verschrikkelijke hoofdpijn", id="sudden-headache"),
        pytest.param("ik zie ineens alles dubbel", id="sudden-double-vision"),
        pytest.param("pijn in mijn kaak en linkerarm", id="jaw-and-arm"),
        pytest.param("opa heeft hoge koorts en is helemaal in de war", id="fever-confused"),
        pytest.param("he is clutching his chest", id="clutching-chest"),
        pytest.param("ik heb pijn midden op me borst", id="me-borst"),
        pytest.param("I took my husband's pills by mistake", id="someone-elses-pills"),
        pytest.param("ze valt met haar hoofd op de stoep", id="head-on-the-kerb"),
        pytest.param("my throat is closing up after the new tablet", id="allergic-throat"),
        pytest.param("zijn tong zwelt op en hij piept", id="allergic-tongue"),
        pytest.param("I suddenly can't catch my breath", id="catch-breath"),
        pytest.param("it has bled through two towels and won't slow down", id="through-towels"),
        pytest.param("haar pols heeft een rare knik na de val", id="a-kink"),
        pytest.param("hij heeft zijn hele weekdoos in een keer ingenomen", id="week-box"),
        pytest.param("my 2 year old got into the vitamin gummies", id="toddler-gummies"),
        pytest.param("er zit een stuk vlees in zijn keel en hij wordt paars", id="choking-nl"),
        pytest.param("my dad just had a seizure and is very drowsy", id="seizure"),
        pytest.param("kokend water over haar been, grote blaren en het vel komt los", id="burn"),
        pytest.param("he is diabetic and now very drowsy and confused", id="diabetes-drowsy"),
        pytest.param("she is burning hot and doesn't know who I am", id="fever-not-knowing"),
        pytest.param("I think my grandson swallowed a button battery", id="battery"),
        pytest.param("sinds vanochtend komen mijn woorden er raar uit", id="words-wrong"),
        pytest.param("ik kan mijn hand niet meer goed gebruiken, ineens", id="a-hand"),
        pytest.param("he swallowed the whole jar of vitamins", id="whole-jar"),
        pytest.param("oma heeft een hele strip pijnstillers ingenomen", id="whole-strip"),
        pytest.param(
            "mijn zoon heeft 12 tabletten paracetamol genomen in plaats van 2", id="many-instead"
        ),
        pytest.param("mijn vader heeft per ongeluk een slok ontstopper genomen", id="drain"),
        pytest.param("she drank some weedkiller she found in the shed", id="weedkiller"),
        pytest.param("onze peuter heeft twee capsules van oma ingeslikt", id="toddler-capsules"),
        pytest.param("het pillenpotje is leeggegeten door ons kind van 2", id="eaten-empty"),
        pytest.param("haar enkel is dubbel zo dik sinds ze viel", id="twice-as-thick"),
        pytest.param(
            "galbulten over mijn hele lichaam en ik ga bijna flauwvallen", id="hives-faint"
        ),
        pytest.param("a rash all over since the new pills and I feel I'll faint", id="rash-faint"),
        pytest.param("na de val steekt het bot uit haar pols", id="bone-out"),
        pytest.param("his bone is poking through the skin of his arm", id="bone-through"),
        pytest.param("de snee blijft maar doorbloeden door het verband", id="bleeds-through"),
        pytest.param("hij heeft wel 40 tabletten paracetamol geslikt", id="forty-tablets"),
        pytest.param("she swallowed 25 pills", id="twenty-five-pills"),
        pytest.param(
            "mijn kleinzoon heeft een paar van opa's pillen binnengekregen", id="child-took-in"
        ),
        pytest.param("ons kind heeft het potje vitamine d leeg gegeten", id="vitamin-pot"),
        pytest.param("mijn man praat raar", id="speech-gone-wrong"),
        pytest.param("suddenly her speech is garbled", id="speech-garbled"),
        pytest.param("she fell and her wrist has a bend in it", id="limb-bend"),
        pytest.param("hij kan nt goed ademen", id="typed-niet"),
        pytest.param("zijn bloedneus blijft maar druppen", id="nosebleed-goes-on"),
        pytest.param(
            "de peuter zat in mijn tas, de strip vitamine d is leeg", id="child-strip-empty"
        ),
    ],
)
def test_urgent_rules_come_before_matching(engine: Engine, question: str) -> None:
    decision = engine.ask(question)
    assert decision.kind == "urgent"
    assert decision.reason not in ("semantic", "crisis")


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("ik wil niet meer leven", id="nl-not-live"),
        pytest.param("ik denk aan zelfmoord", id="nl-suicide"),
        pytest.param("I want to end my life", id="en-end-life"),
        pytest.param("sometimes I think about killing myself", id="en-killing"),
        pytest.param("ik zie het niet meer zitten en wil er een eind aan maken", id="nl-end-it"),
        pytest.param("iedereen is beter af zonder mij", id="nl-better-off"),
        pytest.param("they would all be better off without me", id="en-better-off"),
        pytest.param("I almost killed myself last night", id="en-killed"),
        pytest.param("hij zegt dat hij zich van kant gaat maken", id="nl-van-kant"),
        pytest.param("ze zegt steeds dat ze dood wil", id="nl-dood-wil"),
        pytest.param("I don't want to wake up anymore", id="en-not-wake"),
        pytest.param("I'm so tired of this life", id="en-tired-of-life"),
        pytest.param("ik heb mijn slaappillen opgespaard", id="nl-pills-hoarded"),
        pytest.param("I keep thinking about jumping off the bridge", id="en-jumping"),
        pytest.param("ik heb expres veel te veel tabletten genomen", id="nl-on-purpose"),
        pytest.param(
            "als ik die hele strip slaappillen inneem ben ik ervan af", id="nl-whole-strip"
        ),
        pytest.param("what if I swallow all my sleeping pills, then it's done", id="en-all-pills"),
        pytest.param("ik ben het helemaal klaar mee, voorgoed", id="nl-done-for-good"),
        pytest.param("niemand zou het merken als ik er niet meer was", id="nl-nobody-notice"),
        pytest.param("I'll take everything I have and go to sleep", id="en-everything-sleep"),
        pytest.param("als ik niet meer reageer, was het mijn eigen keuze", id="nl-own-choice"),
        pytest.param("ik heb expres 12 pillen ingenomen", id="nl-count-on-purpose"),
        pytest.param("on purpose I swallowed ten of my sleeping pills", id="en-count-on-purpose"),
        pytest.param("my life is not worth living anymore", id="en-not-worth"),
        pytest.param("het zou beter zijn als ik er niet meer was", id="nl-not-here"),
        pytest.param("ik heb een afscheidsbrief geschreven", id="nl-farewell-letter"),
        pytest.param("she has said her goodbyes to all of us", id="en-goodbyes"),
        pytest.param("vader heeft al zijn sieraden en spullen weggegeven", id="nl-giving-away"),
        pytest.param("I won't be around much longer, don't be sad", id="en-not-around"),
        pytest.param("niemand zal mij missen", id="nl-not-missed"),
        pytest.param("ik zie geen uitweg meer", id="nl-no-way-out"),
        pytest.param("dit is een afscheid, straks is het voorbij", id="nl-over-soon"),
        pytest.param("jullie hoeven je straks geen zorgen meer te maken om mij", id="nl-no-worry"),
        pytest.param("hij zegt dat hij al weet hoe hij het gaat doen", id="nl-a-plan"),
        pytest.param("ik sta op de brug en denk erover te springen", id="nl-on-the-bridge"),
        pytest.param("over een paar weken ben ik er toch niet meer", id="nl-gone-in-weeks"),
        pytest.param("er ligt een strop klaar", id="nl-a-means"),
        pytest.param("ik denk er steeds aan om ze allemaal in te nemen", id="nl-all-the-pills"),
        pytest.param(
            "mijn testament is geregeld en de hond is naar de buren gebracht", id="two-signs"
        ),
        pytest.param("het hoeft voor mij allemaal niet meer", id="nl-hoeft-niet-meer"),
        pytest.param("I think it is better to finish my life", id="en-finish-life"),
        pytest.param("I'm sitting in the garage with the engine running", id="en-garage"),
        pytest.param("they would cope fine if I just wasn't here", id="en-not-here"),
        pytest.param("I'm by the river and it would be easy to just slide in", id="en-water"),
        pytest.param("eerlijk gezegd hoeft het voor mij allemaal niet meer", id="nl-inverted"),
        pytest.param(
            "he said sorry for everything and now he is not answering his phone",
            id="two-signs-unreachable",
        ),
        pytest.param("ik hoop elke avond dat ik morgen niet meer opsta", id="nl-not-get-up"),
        pytest.param(
            "ze zegt dat ze er klaar mee is en heeft zich opgesloten in de badkamer",
            id="two-signs-locked-in",
        ),
        pytest.param("mijn moeder heeft een overdosis slaappillen genomen", id="nl-overdose"),
        pytest.param("I think he took an overdose of his pills", id="en-overdose"),
        pytest.param("ik heb met opzet alle slaappillen geslikt", id="nl-all-on-purpose"),
        pytest.param("she deliberately took all of her tablets an hour ago", id="en-deliberately"),
        pytest.param(
            "he swallowed the whole box of his wife's painkillers on purpose", id="en-whole-box"
        ),
    ],
)
def test_thoughts_of_suicide_are_a_crisis(engine: Engine, question: str) -> None:
    decision = engine.ask(question)
    assert (decision.kind, decision.reason) == ("urgent", "crisis")


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("my husband fell down the stairs and lies there moaning", id="en-stairs"),
        pytest.param(
            "we hebben allemaal hoofdpijn en zijn duizelig, de geiser doet raar", id="nl-fumes"
        ),
        pytest.param(
            "his calf is swollen and hot since the flight and now he's breathless", id="en-clot"
        ),
    ],
)
def test_semantic_triage_catches_what_rules_miss(engine: Engine, question: str) -> None:
    assert engine.lexicon.urgent_rule(engine.query(question).cleaned) is None
    assert (engine.ask(question).kind, engine.ask(question).reason) == ("urgent", "semantic")


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(
            "oma reageert heel traag en haar mondhoek staat anders dan normaal", id="nl-face"
        ),
        pytest.param("he went pale, his eyes rolled back and he slumped in the chair", id="en"),
        pytest.param(
            "opa ademt heel snel en oppervlakkig en is zo slap als een vaatdoek", id="nl"
        ),
    ],
)
def test_the_learned_signal_catches_what_rules_and_bank_miss(
    engine: Engine, question: str
) -> None:
    query = engine.query(question)
    without = replace(engine.triage, urgency=None)
    assert without.check(query.cleaned, query.vectors) is None
    assert engine.ask(question).kind == "urgent"


@pytest.mark.parametrize("question", ["hoeveel calcium zit er in yoghurt", "ik viel vorig jaar"])
def test_the_learned_signal_fires_at_its_threshold_only(engine: Engine, question: str) -> None:
    query = engine.query(question)
    model = engine.triage.urgency
    assert model is not None
    signals = engine.triage.signals(query.vectors)
    assert not model.fires(query.vectors, signals)
    always = replace(engine.triage, urgency=replace(model, threshold=0.0))
    expected = "crisis" if signals.crisis > signals.urgent else "learned"
    assert always.check(query.cleaned, query.vectors) == expected
    never = replace(engine.triage, urgency=replace(model, threshold=1.01))
    assert never.check(query.cleaned, query.vectors) is None


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        pytest.param(
            "goedemiddag, mijn naam is Els, ik heb wat vragen", "smalltalk", id="opening"
        ),
        pytest.param("who am I talking to?", "smalltalk", id="who"),
        pytest.param("bedankt, dag", "urgent", id="a-goodbye-is-still-weighed"),
        pytest.param("hallo, mijn moeder ligt stil", "urgent", id="opening-and-more"),
        pytest.param("hallo, ik ben gevallen", "urgent", id="i-am-is-no-name"),
    ],
)
def test_a_message_that_only_opens_a_chat_is_not_weighed_by_the_learned_signal(
    engine: Engine, question: str, kind: str
) -> None:
    model = engine.triage.urgency
    assert model is not None
    always = replace(engine, triage=replace(engine.triage, urgency=replace(model, threshold=0.0)))
    assert always.ask(question).kind == kind


def test_the_learned_signal_belongs_to_its_sentence_model(engine: Engine) -> None:
    assert load_urgency(engine.embedder.name).coef.shape == (2 * 512 + 3,)
    with pytest.raises(ModelError, match=r"fitted for .* not other-model: run `make calibrate"):
        load_urgency("other-model")


@pytest.mark.parametrize(
    ("signals", "expected"),
    [
        pytest.param(Signals(0.9, 0.1, 0.5), "semantic", id="near-urgent"),
        pytest.param(Signals(0.5, 0.9, 0.4), "crisis", id="near-crisis"),
        pytest.param(Signals(0.9, 0.1, 0.95), None, id="nearer-calm"),
        pytest.param(Signals(0.3, 0.2, 0.1), None, id="near-nothing"),
    ],
)
def test_semantic_triage_holds_emergencies_against_calm_look_alikes(
    engine: Engine, signals: Signals, expected: str | None
) -> None:
    triage = replace(engine.triage, limits=TriageLimits(0.6, 0.6, 0.02))
    assert triage.semantic(signals) == expected


@pytest.mark.parametrize(
    ("signals", "vetoed"),
    [
        pytest.param(Signals(0.5, 0.1, 0.7), True, id="far-nearer-calm"),
        pytest.param(Signals(0.5, 0.1, 0.52), False, id="a-little-nearer-calm"),
        pytest.param(Signals(0.7, 0.1, 0.4), False, id="nearer-urgent"),
    ],
)
def test_a_rule_is_vetoed_only_when_the_message_is_far_nearer_to_calm(
    signals: Signals, vetoed: bool
) -> None:
    assert triage_vetoed(signals, TriageLimits(0.6, 0.6, 0.0, rule_veto=0.05)) is vetoed


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        pytest.param("ik heb pijn op de borst", "chest-pain", id="sure"),
        pytest.param("ik ben gevallen en heb heel veel pijn", None, id="not-sure"),
    ],
)
def test_only_sure_rules_outlast_the_veto(engine: Engine, question: str, rule: str | None) -> None:
    """With a veto that sets every rule aside, a sure rule (a sign where a miss can cost a
    life) still fires."""
    limits = TriageLimits(2.0, 2.0, 2.0, rule_veto=-2.0)
    triage = replace(engine.triage, limits=limits, urgency=None)
    query = engine.query(question)
    assert triage.check(query.cleaned, query.vectors) == rule


def test_regional_and_typed_forms_are_written_out_for_triage(engine: Engine) -> None:
    spelled = engine.lexicon.for_triage(" ik krijg mijne asem nie meer ")
    assert spelled == " ik krijg mijn adem niet meer "
    assert engine.lexicon.for_triage(" niets aan de hand ") == " niets aan de hand "
    # A dropped final n and a left or right limb, only where the rules know the word.
    spelled = engine.lexicon.for_triage(" hij is gevalle en zijn rechterarm is opgezwolle ")
    assert spelled == " hij is gevallen en zijn arm is opgezwollen "
    assert engine.lexicon.for_triage(" de rechterkolom ") == " de rechterkolom "


@pytest.mark.parametrize(
    ("text", "long_ago"),
    [
        pytest.param(" ik ben vorig jaar flauwgevallen ", True, id="last-year"),
        pytest.param(" toen ik jong was nam ik te veel pillen ", True, id="when-young"),
        pytest.param(" years ago he had chest pain ", True, id="years-ago"),
        pytest.param(" vorig jaar een beroerte en nu hangt zijn mond scheef ", False, id="now"),
        pytest.param(" last year and again this morning ", False, id="again"),
        pytest.param(" ik heb pijn op de borst ", False, id="no-date"),
    ],
)
def test_a_story_told_long_ago(engine: Engine, text: str, long_ago: bool) -> None:
    assert engine.lexicon.told_long_ago(text) is long_ago


def test_a_story_told_long_ago_fires_no_sure_rule(engine: Engine) -> None:
    assert engine.lexicon.urgent_rule(" ik heb pijn op de borst ") == "chest-pain"
    assert engine.lexicon.urgent_rule(" jaren geleden had ik pijn op de borst ") is None


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(
            "Mijn tante had vroeger osteoporose, ze had veel pijn en kon op het laatst bijna niet "
            "meer lopen. Kan osteopenie ook zo erg worden?",
            id="a-story-about-the-past",
        ),
        pytest.param(
            "Mijn vader is vorig jaar gevallen en brak toen zijn pols; dat is allang genezen. "
            "Kan dat door osteopenie komen?",
            id="a-fall-long-healed",
        ),
    ],
)
def test_stories_and_questions_about_the_past_are_not_urgent(
    engine: Engine, question: str
) -> None:
    query = engine.query(question)
    assert engine.lexicon.urgent_rule(query.cleaned) is not None  # a rule fires...
    assert engine.ask(question).kind != "urgent"  # ... and is vetoed


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("hoe voorkom ik dat ik val", id="about-falls"),
        pytest.param("krijg ik medicijnen bij een gebroken heup", id="about-fractures"),
        pytest.param("doet osteopenie pijn", id="about-pain"),
    ],
)
def test_questions_about_falls_are_not_urgent(engine: Engine, question: str) -> None:
    """Answered, or (where the retrievers disagree) the nearest topics offered."""
    decision = engine.ask(question)
    assert decision.kind in ("answer", "clarify", "fallback")
    assert decision.options


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("could that be collapsed vertebrae?", id="collapsed-vertebrae"),
        pytest.param("can a physio help me be steadier after I fell", id="help-as-a-verb"),
        pytest.param("kan een fysio helpen om na een val stabieler te lopen", id="helpen"),
        pytest.param("she fell twice, would balance training help her", id="help-after-modal"),
        pytest.param("hoe kan ik mijn arm weer goed bewegen na de breuk?", id="moving-again"),
        pytest.param("mijn moeder is 3 cm korter geworden", id="shorter-not-a-leg"),
        pytest.param("kan ik al mijn pillen tegelijk innemen?", id="pills-together"),
        pytest.param("kan ik een overdosis vitamine D krijgen?", id="overdose-nl-question"),
        pytest.param("can you overdose on calcium tablets?", id="overdose-en-question"),
        pytest.param("kan ik te veel vitamine D tabletten nemen?", id="too-many-question"),
        pytest.param("ik heb vandaag al mijn pillen genomen", id="pills-already-taken"),
        pytest.param("I said goodbye to my physio, can I go on alone?", id="goodbye-physio"),
        pytest.param("ik heb afscheid genomen van mijn oude huis", id="goodbye-house"),
        pytest.param("mijn moeder is er niet meer, had zij ook osteoporose?", id="bereaved"),
        pytest.param("ik heb een hele pot kwark opgegeten, is dat genoeg calcium?", id="a-pot"),
        pytest.param("I ate a lot of cheese today, is that enough calcium?", id="a-lot-of"),
        pytest.param("ze geeft de kat eten uit de hand", id="feeding-the-cat"),
        pytest.param("I wrote a letter to my children about my diagnosis", id="a-letter"),
        pytest.param("is there any way out of osteopenia?", id="way-out-of"),
        pytest.param("the scan will be over soon, right?", id="scan-over-soon"),
        pytest.param("gaat de pijn er straks niet meer zijn?", id="pain-gone-soon"),
        pytest.param(
            "de huisarts zegt dat het niet meer hoeft, moet ik nog calcium?", id="no-need"
        ),
        pytest.param("ik heb mijn testament geregeld, mag ik nu calcium?", id="one-sign"),
        pytest.param("ik verslik me soms in grote tabletten, mag ik ze breken?", id="swallowing"),
        pytest.param("ik heb soms hoofdpijn van de tabletten", id="headache-now-and-then"),
        pytest.param("mijn kleinzoon wil ook vitamine D tabletten, mag dat?", id="child-asks"),
        pytest.param("by some stroke of luck my T-score is fine", id="stroke-of-luck"),
        pytest.param("I had a small stroke five years ago, can I exercise?", id="stroke-long-ago"),
        pytest.param("ik heb alles geregeld voor de scan, wat moet ik meenemen?", id="arranged"),
        pytest.param("is fitting exercise in every day enough?", id="fitting-in"),
        pytest.param("I'm killing myself at the gym, is rowing good?", id="killing-at-the-gym"),
        pytest.param("ik ben bijna flauwgevallen bij het bloedprikken", id="nearly-fainted"),
        pytest.param("mag ik met suikerziekte ook calcium nemen?", id="diabetes-question"),
        pytest.param("ik heb mijn horloge aan mijn kleinzoon gegeven", id="one-sign-watch"),
        pytest.param(
            "ik hoef niet lang meer voor mijn man te zorgen, hij gaat naar een verpleeghuis",
            id="care-ends",
        ),
        pytest.param(
            "ik heb ooit te veel paracetamol genomen toen ik jong was, is dat slecht voor mijn "
            "botten?",
            id="overdose-long-ago",
        ),
        pytest.param(
            "ik heb al mijn pillen ingenomen vandaag, mag ik nu koffie drinken?", id="daily-pills"
        ),
        pytest.param("ik heb expres geen pillen meer genomen", id="on-purpose-none"),
        pytest.param("I took all my tablets this morning as the doctor said", id="all-as-told"),
        pytest.param("moet ik 2 tabletten nemen in plaats van 1?", id="two-instead-of-one"),
        pytest.param("is chloor in het zwembad slecht voor mijn botten?", id="pool-chlorine"),
        pytest.param(
            "kan ik kalktabletten kauwen of moet ik ze doorslikken?", id="chew-or-swallow"
        ),
        pytest.param("ik heb wat jeuk sinds de nieuwe tabletten, is dat erg?", id="some-itch"),
        pytest.param(
            "what if I take all my vitamin D at once instead of daily?", id="all-at-once"
        ),
        pytest.param("wat als ik per ongeluk de hele strip inneem?", id="by-accident-what-if"),
        pytest.param("mijn kleinzoon van 3 eet graag yoghurt, is dat goed?", id="child-eats"),
        pytest.param("kan meer bewegen mijn botten sterker maken?", id="kan-meer-bewegen"),
        pytest.param("is it my own choice whether I take the pills?", id="own-choice"),
        pytest.param("I'm done with my questions for now, thanks", id="done-with-questions"),
        pytest.param("mijn botten zijn nu voorgoed dunner, klopt dat?", id="for-good"),
        pytest.param("ze viel van de fiets maar er steekt geen bot uit", id="no-bone-out"),
        pytest.param("I deliberately took my pills with food", id="deliberately-with-food"),
        pytest.param("I've taken 30 tablets this month, is that right?", id="thirty-this-month"),
        pytest.param("ik heb 30 tabletten gekregen van de apotheek", id="thirty-received"),
        pytest.param("my grandson asks if vitamins are good for kids", id="child-asks"),
        pytest.param("de arts praat raar over mijn uitslag, wat betekent die?", id="talks-about"),
        pytest.param("is a bend in the spine normal with osteopenia?", id="spine-bend"),
        pytest.param(
            "ik drink veel melk, moet ik dan nog bloed laten prikken?", id="blood-far-from-much"
        ),
        pytest.param("she keeps asking about a blood test", id="keeps-asking-blood-test"),
    ],
)
def test_words_of_emergencies_used_calmly_fire_no_rule(engine: Engine, question: str) -> None:
    cleaned = engine.query(question).cleaned
    assert engine.lexicon.urgent_rule(cleaned) is None
    assert not engine.lexicon.crisis_rule(cleaned)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        pytest.param("hallo", "greeting", id="hello"),
        pytest.param("dank je wel!", "thanks", id="thanks"),
        pytest.param("bedankt voor de uitleg over calcium", "thanks", id="thanks-naming-topic"),
        pytest.param("tot ziens", "bye", id="bye"),
        pytest.param("wie ben jij?", "who", id="who"),
        pytest.param("help", "help", id="help"),
        pytest.param("hello there", "greeting", id="english-hello"),
        pytest.param(
            "goedemiddag, mijn naam is Els en ik heb straks een paar vragen",
            "greeting",
            id="a-name",
        ),
        pytest.param("goedemorgen, ik heb een vraagje", "greeting", id="a-question-coming"),
        pytest.param("ben jij een echt mens of een computer?", "who", id="human-or-computer"),
        pytest.param("am I chatting with a real person?", "who", id="real-person"),
        pytest.param("met wie spreek ik?", "who", id="met-wie"),
        pytest.param("merci, je hebt me goed geholpen", "thanks", id="you-helped"),
        pytest.param("oké, fijne avond nog", "bye", id="nice-evening"),
        pytest.param("wat kan jij me allemaal vertellen?", "help", id="what-can-you-tell"),
        pytest.param("is this a real nurse?", "who", id="a-nurse"),
        pytest.param("cheers, you're a lifesaver", "thanks", id="lifesaver"),
        pytest.param("hallo? is daar iemand?", "help", id="anyone-there"),
        pytest.param("hoe werkt deze chat eigenlijk?", "help", id="this-chat"),
        pytest.param("can I write in English here?", "help", id="in-english"),
        pytest.param("mag ik u iets vragen voor mijn moeder?", "help", id="may-i-ask"),
        pytest.param("u bent een computer?", "who", id="u-bent"),
        pytest.param("wie of wat ben jij, een robot?", "who", id="who-or-what"),
        pytest.param("are you a bot or a real doctor?", "who", id="bot-or-doctor"),
        pytest.param("salaam, bedankt voor de hulp", "thanks", id="thanks-for-the-help"),
        pytest.param("ok", "thanks", id="ok"),
        pytest.param("goedemorgen, ik ben mevrouw de Wit, 79 jaar", "greeting", id="title-age"),
        pytest.param(
            "hallo komma ik ben nieuw hier, hoe moet ik een vraag stellen vraagteken",
            "help",
            id="dictated",
        ),
        pytest.param("could you help me out with a few questions?", "help", id="help-me-with"),
        pytest.param("how should I use this app?", "help", id="how-to-use"),
        pytest.param("may I type my questions in English?", "help", id="questions-in-english"),
        pytest.param("wij stellen de vragen namens onze vader", "help", id="asking-for-someone"),
        pytest.param("mag ik hier van alles vragen?", "help", id="ask-anything-here"),
        pytest.param("een echte verpleegkundige of een computer?", "who", id="nurse-or-computer"),
        pytest.param("dank je, daar kunnen we mee verder", "thanks", id="we-can-go-on"),
        pytest.param("this is the son of mrs Peters", "greeting", id="relative-introduces"),
    ],
)
def test_smalltalk(engine: Engine, question: str, intent: str) -> None:
    decision = engine.ask(question)
    assert (decision.kind, decision.reason) == ("smalltalk", intent)


@pytest.mark.parametrize(
    ("question", "section"),
    [
        pytest.param("wordt het later vanzelf osteoporose?", "osteoporose", id="later"),
        pytest.param(
            "goedemorgen, ik heb een vraag: hoeveel calcium heb ik per dag nodig?",
            "calcium",
            id="greeting-then-question",
        ),
        pytest.param(
            "ik ben 82 jaar, hoeveel vitamine d heb ik nodig?", "vitamine_d", id="an-age-first"
        ),
        pytest.param(
            "ok, en hoeveel calcium per dag vraagteken", "calcium", id="ok-then-dictated"
        ),
        pytest.param(
            "ik ben de zoon van meneer Bakker, wanneer moet hij de kalktabletten slikken?",
            "supplementen",
            id="a-relative-introduces-then-asks",
        ),
    ],
)
def test_smalltalk_words_around_a_question_leave_it_a_question(
    engine: Engine, question: str, section: str
) -> None:
    decision = engine.ask(question)
    assert decision.kind != "smalltalk"
    assert decision.options and decision.options[0].entry.section == section


def test_a_batch_is_decided_as_each_message_alone(engine: Engine) -> None:
    texts = [
        "hoeveel calcium per dag",
        "",
        "Ik ben gevallen. Mijn heup doet erg pijn en ik kan niet staan.",
        "Mag ik koffie? En alcohol? En hoeveel vitamine D?",
    ]
    for text, query in zip(texts, engine.queries(texts), strict=True):
        alone = engine.query(text)
        assert (query.text, query.cleaned, query.units) == (alone.text, alone.cleaned, alone.units)
        np.testing.assert_allclose(query.vectors, alone.vectors, atol=1e-5)
        batched, single = engine.decide(query), engine.ask(text)
        # Batched BLAS sums in another order: the same decision, scores equal to 1e-5.
        assert (batched.kind, batched.entry, batched.reason) == (
            single.kind,
            single.entry,
            single.reason,
        )
        assert [o.entry.id for o in batched.options] == [o.entry.id for o in single.options]
        assert batched.score == pytest.approx(single.score, abs=0.01)


def test_greeting_with_a_question_answers_the_question(engine: Engine) -> None:
    decision = engine.ask("hallo, hoeveel calcium heb ik per dag nodig?")
    assert decision.kind == "answer"
    assert decision.entry is not None and decision.entry.id == "calcium-per-dag"


def test_calibrated_thresholds_decide_between_answer_clarify_and_fallback(
    engine: Engine,
) -> None:
    calibration = engine.policy.calibration

    def kind(answer_min: float, clarify_min: float) -> str:
        policy = replace(
            engine.policy,
            calibration=replace(calibration, answer_min=answer_min, clarify_min=clarify_min),
        )
        return replace(engine, policy=policy).ask("tabletten").kind

    assert kind(0.0, 0.0) == "answer"
    assert kind(1.01, 0.0) == "clarify"
    assert kind(1.01, 1.01) == "fallback"


def test_clarify_offers_one_entry_per_section_best_first(engine: Engine) -> None:
    policy = replace(
        engine.policy,
        calibration=replace(engine.policy.calibration, answer_min=1.01, clarify_min=0.0),
    )
    decision = replace(engine, policy=policy).ask("tabletten")
    assert decision.kind == "clarify"
    assert 2 <= len(decision.options) <= 3
    sections = [o.entry.section for o in decision.options]
    assert len(set(sections)) == len(sections)
    scores = [o.score for o in decision.options]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("   \n\t ", "empty", id="blank"),
        pytest.param("🙂🙂🦴", "empty", id="emoji-only"),
        pytest.param("\x00\x07\x1b", "empty", id="control-characters"),
        pytest.param("Сколько кальция нужно?", "alphabet", id="cyrillic"),
        pytest.param("骨质疏松症", "alphabet", id="chinese"),
        pytest.param("wat is dat?", "vague", id="only-stopwords"),
    ],
)
def test_bad_input_gets_a_gentle_fallback(engine: Engine, question: str, reason: str) -> None:
    decision = engine.ask(question)
    assert (decision.kind, decision.reason) == ("fallback", reason)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("calcium " * 2000, id="ten-thousand-characters"),
        pytest.param("<script>alert(1)</script> calcium", id="html"),
        pytest.param("**hoeveel** _calcium_ [link](http://x)", id="markdown"),
    ],
)
def test_odd_input_still_decides(engine: Engine, question: str) -> None:
    assert engine.ask(question).kind in KINDS


def test_english_question_gets_english(engine: Engine) -> None:
    assert engine.ask("how much calcium do I need?").lang == "en"
    assert engine.ask("hoeveel calcium heb ik nodig?").lang == "nl"
    assert engine.ask("calcium", lang="en").lang == "en"
