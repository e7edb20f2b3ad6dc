"""The de-identifier's regular expressions and word lists: what a personal detail, and
what surely none, looks like (bot/scrub.py draws the whole).

Fragments (UP, WORD, CAP_WORD, PARTICLE, KIN, TITLE, ...) are pattern text to build on;
the compiled patterns each find one kind of detail.
"""

from __future__ import annotations

import re

UP = r"[A-ZÀ-ÖØ-ÞĀ-Ž]"  # a capital, accents and Turkish letters included
WORD = r"[^\W\d_](?:[^\W_]|['’-](?=[^\W\d_]))*"
CAP_WORD = rf"(?:{UP}[^\W\d_]*(?:['’-][^\W\d_]+)*|{UP}\.)"  # "Jansen-de", "P."
PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|'t|in|op|el|al|bin|da|di|du|le|la|von|zu)"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TLD = r"(?:nl|com|org|net|eu|be|de|info|nu|uk|fr|io|gov|edu)"
URL = re.compile(
    rf"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.{_TLD}\b(?:/\S*)?", re.IGNORECASE
)
_MONTHS = (
    r"jan(?:uari|uary)?|feb(?:ruari|ruary)?|maart|mrt|march|apr(?:il)?|mei|may|juni?|june|"
    r"juli?|july|aug(?:ustus|ust)?|sep(?:t(?:ember)?)?|okt(?:ober)?|oct(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?"
)
DATES = (
    re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}\b|\b(?:19|20)\d{2}-\d{1,2}-\d{1,2}\b"),
    re.compile(
        rf"\b\d{{1,2}}(?:st|nd|rd|th|e|ste|de)?\s+(?:of\s+)?(?:{_MONTHS})\b\.?(?:,?\s+\d{{4}}\b)?",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b", re.I),
    re.compile(rf"\b(?:{_MONTHS})\.?\s+(?:19|20)\d{{2}}\b", re.I),  # "maart 1950"
    # Day and month without a year, after "op" or "on": "op 12-3", "on 4/8".
    re.compile(r"(?<=\b(?:op|on) )(?:[12]\d|3[01]|0?[1-9])[-/.](?:1[0-2]|0?[1-9])\b(?![-/.,]\d)"),
    # A year after a birth word: "geboren in 1948", "born 1950", "geb. 1944".
    re.compile(
        r"\b(?:geboren|geb\.|born|geboortejaar|dob)\s+(?:in\s+|op\s+)?((?:19|20)\d{2})\b",
        re.IGNORECASE,
    ),
)
UNITS = {
    "mg", "ml", "kg", "cm", "mm", "km", "ie", "iu", "ug", "eh", "jr", "st", "gr", "mcg",
    "en", "in", "of", "op", "al", "is", "te", "je", "me", "we", "ze", "na", "om", "ik", "er",
    "nu", "zo", "ja", "an", "at", "on", "or", "to", "by", "mi", "uu", "pm", "am", "x",
}  # fmt: skip
UPPER_UNITS = {"mg", "ml", "kg", "ie", "iu", "ug", "eh"}
POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)([A-Za-z]{2})\b")
# Six or more digits, perhaps in groups: BSN, patient and policy numbers, bank accounts.
DIGITS = re.compile(r"(?<![\d,])\d(?:[ .-]?\d){5,}(?![\d,])")
# A shorter number right after a word that says it is an identifier.
IBAN = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d){7,10}\b")
_ID_WORD = (
    r"(?:bsn|burgerservicenummer|pati[eë]nt(?:en)?(?:nummer|nr)|pat\.?\s?nr|dossiernummer|"
    r"ziekenhuisnummer|registratienummer|klantnummer|polisnummer|relatienummer|nummer|nr|"
    r"hospital number|patient number|patient id|mrn|id)"
)
ID = re.compile(rf"\b{_ID_WORD}[\s.:]*(?:is\s+)?([A-Z]{{0,3}}[-\s]?\d(?:[ .-]?\d){{2,}})", re.I)
_STREET_WORDS = (
    r"straat|straatweg|laan|weg|plein|gracht|kade|singel|dijk|dreef|hof|pad|steeg|ring|park|"
    r"markt|wal|baan|boulevard|plantsoen|erf|veld|hoeve|weide|akker|dam|burg|haven|oord|"
    r"zijde|kamp|hoek|hout|polder|rade|stede|vaart|tuin|berg|dal|brink|lei|wijk|straatje|"
    r"pleintje|steegje|laantje|allee|promenade|kwartier|kerkhof|eiland"
)
_HOUSE_NUMBER = r"\d{1,5}(?:\s?(?:[a-zA-Z]|bis|hs|zw|rd|I{1,3}|-[A-Za-z\d]{1,3}|-?hoog))?\b"
STREET = re.compile(
    rf"\b(?:(?:{CAP_WORD}|{PARTICLE})\s+){{0,3}}"
    rf"(?:{UP}[\w'’-]*(?:{_STREET_WORDS})|"
    rf"(?i:{_STREET_WORDS})\s+(?:van\s+(?:de\s+|der\s+|den\s+|het\s+)?)?{CAP_WORD}|Brink|"
    rf"[a-zà-ÿ]{{3,}}(?:{_STREET_WORDS}))(?:\s+{_HOUSE_NUMBER})",
    re.UNICODE,
)
# Any capitalised words with a house number when a postcode or "adres" is near.
ADDRESS = re.compile(
    rf"(?:(?<=\badres:\s)|(?<=\badres\s)|(?<=\bwoon op\s)|(?<=\bwoon aan\s)|(?<=\bwoont op\s)|"
    rf"(?<=\bwoont aan\s)|(?<=\bat\s)|(?<=\bop\s)|(?<=\baan\s)|(?<=\bde\s)|(?<=\bnaar\s)|"
    rf"(?<=,\s)|(?<=\(mevr\.\s)|^)"
    rf"(?:{CAP_WORD}\s+){{1,3}}{_HOUSE_NUMBER}(?=,?\s+[1-9]\d{{3}}\s?[A-Za-z]{{2}}\b|,\s+{UP}[a-z])"
)

KIN = (
    r"man|vrouw|zoon|dochter|moeder|vader|broer|zus|zuster|oma|opa|kleinzoon|kleindochter|"
    r"schoonmoeder|schoonvader|schoonzoon|schoondochter|schoonzus|schoonbroer|zwager|stiefmoeder|"
    r"stiefvader|grootmoeder|grootvader|partner|echtgenoot|echtgenote|"
    r"vriend|vriendin|buurvrouw|buurman|neef|nicht|tante|oom|mams|moeke|mama|papa|pa|ma|"
    r"kind|kleinkind|collega|mantelzorger|husband|wife|son|daughter|mother|mum|mom|father|"
    r"dad|brother|sister|grandmother|grandfather|grandma|grandpa|grandson|granddaughter|"
    r"friend|neighbour|neighbor|aunt|uncle|cousin|partner|carer|patiënt|patient|cliënt|client"
)
TITLE = (
    r"mevrouw|mevr\.?|mw\.?|meneer|mijnheer|mnr\.?|dhr\.?|de heer|heer|fam\.?|familie|"
    r"dokter|dr\.?|drs\.?|prof\.?|professor|huisarts|zuster|verpleegkundige|"
    r"mrs\.?|mr\.?|ms\.?|miss|doctor|t\.a\.v\.?|ter attentie van|namens|sister|nurse"
)
GREETING = (
    r"groet(?:en|jes)?|gr\.?|grt\.?|mvg|m\.v\.g\.?|vriendelijke groet(?:en)?|"
    r"hartelijke groet(?:en)?|"
    r"met vriendelijke groet(?:en)?|liefs|dank(?:je|jewel|u)?(?: wel)?|bedankt|alvast bedankt|"
    r"met dank|regards|kind regards|best wishes|best|thanks|thank you|cheers|sincerely|"
    r"yours|love|groetjes van|vraag van|namens|signed"
)
INTRO = (
    r"ik heet|mijn naam is|naam is|naam:|my name is|i am called|this is|dit is|hier is|"
    r"je spreekt met|u spreekt met|hoi met|hallo met|goedemorgen met|goedemiddag met|^met|"
    r"his name is|her name is|zijn naam is|haar naam is|heet|ik ben|i am|i'm"
)
AMBIGUOUS_PARTICLES = ("in", "op", "de", "het", "te", "van", "al")
HIER = re.compile(rf"({CAP_WORD}(?:\s+{CAP_WORD}|\s+{PARTICLE}){{0,3}})\s+(?:hier|here)\b")
AGE_AFTER = re.compile(
    r"\s*(?:,\s*|\(\s*|van\s+|is\s+|aged\s+|age\s+)?(\d{1,3})(?=\s*\)|\s*(?:jaar|jr|years?|yrs?)\b)"
    r"|\s*(?:,\s*|\(\s*|van\s+|aged\s+)(\d{1,3})\b(?!\s*(?:mg|ml|kg|ie|iu|keer|x|%|uur|min))"
)
# An age said of a person even without a name: "mijn vader van 84", "ik ben 78",
# "ze is 91", "91 jaar oud", "een 84-jarige", "aged 79", "(79)". Durations ("al 5 jaar",
# "2 jaar geleden") and amounts with a unit are no age.
_UNITS = (
    "mg|ml|kg|ie|iu|µg|mcg|ug|keer|x|%|uur|min|minuten|dagen|weken|maanden|cm|kilo|gram|"
    "eenheden|nmol|units|times|hours|minutes|days|weeks|months"
)
_NO_UNIT = rf"(?![.,]\d|\s*(?:{_UNITS})\b)"
AGE_OF_PERSON = re.compile(
    rf"\b(?:(?:{KIN})\s+(?:van|of|aged|age|is|wordt|werd|was|turned|turns)"
    r"|(?:ik|hij|zij|ze|she|he)\s+(?:is|ben|wordt|werd|word|was|turned|turns)(?:\s+nu|\s+now)?"
    r"|ben ik|i am|i'm|im|aged|age|leeftijd(?:\s+van)?:?)"
    rf"\s+(\d{{1,3}})\b{_NO_UNIT}"
    r"|\b(\d{1,3})\s*(?:jaar|years?|yrs?|jr)\.?\s*(?:oud|old|geworden)\b"
    r"|\b(\d{1,3})\s*-?\s*(?:jarige|year-old|year old)\b"
    r"|\((\d{1,3})\)",
    re.I,
)
SENTENCE_END = re.compile(r"(?:^|[.!?:;\n]|\(\s*)\s*$")

COMMON_EXTRA = frozenset(
    """
    hallo hoi hi hello hey beste dear goedemorgen goedemiddag goedenavond dag
    groet groeten groetjes bedankt dank thanks regards vraag vraagje graag alvast
    oma opa moeder vader zoon dochter ik mijn dokter huisarts
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Words that are never (the first word of) a name here, capitalised or not: the leaflet's
# own words, medicines, scans, days and months, languages.
NEVER_NAME = frozenset(
    """
    osteopenie osteoporose osteopenia osteoporosis dexa dexa-scan scan calcium calcichew
    vitamine vitamin prolia fosamax alendroninezuur alendronaat risedronaat denosumab
    zoledroninezuur aclasta forteo teriparatide evenity romosozumab prednison prednisolon
    calciumcarbonaat cholecalciferol devaron d-vitamine zuivel t-score z-score ie iu mg
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag monday tuesday wednesday
    thursday friday saturday sunday januari februari maart april mei juni juli augustus
    september oktober november december january february march may june july august
    october nederlands engels turks arabisch dutch english turkish arabic nederland
    netherlands holland umc ziekenhuis hospital gp nhs pdf sms whatsapp facebook google
    ramadan kerst pasen ik i we wij hij zij ze u jij je she he they it its het de een
    nordic walking tai chi pilates yoga zumba fitness diakonessenhuis antonius
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Lower-case words after "ik ben" and kinship words that are not names.
NOT_LOWER_NAME = frozenset(
    """
    bang moe benieuwd gevallen vergeten ongerust bezorgd lactose intolerant diabeet allergisch
    zwanger vegetariër veganist gestopt begonnen geschrokken verdrietig duizelig misselijk
    onzeker zelf alleen erg heel nog net pas ook niet wel al zo 'n een
    heeft had is was wil wilde mag moet kan kon gebruikt slikt krijgt kreeg valt viel zegt
    zei woont wordt werd gaat ging doet deed loopt liep denkt dacht vraagt vroeg
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
RARE_ZIPF = 4.0
