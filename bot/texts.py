"""Every sentence the bot says, in Dutch and English, at B1 level.

Keys are looked up by bot/replies.py; `{title}`, `{department}` and `{hospital}` are the
leaflet's, other fields are filled in by the caller.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "source": "Bron: folder {title} – {section}",
        "more": "Meer weten",
        "menu": "Onderwerpen",
        "other": "Iets anders",
        "clarify": "Ik weet niet zeker wat u bedoelt. Bedoelt u een van deze onderwerpen?",
        "clarify_other": "Iets anders? Stel uw vraag dan op een andere manier.",
        "fallback": "Dit staat niet in de folder {title}. Ik wil u geen verkeerd antwoord "
        "geven. Stel deze vraag aan uw huisarts.",
        "fallback_costs": "Dit staat niet in de folder {title}. Vragen over kosten en "
        "vergoeding stelt u aan uw zorgverzekeraar of aan het ziekenhuis.",
        "fallback_medicine": "Dit staat niet in de folder {title}. Vragen over een "
        "bepaald medicijn stelt u aan uw apotheek of uw huisarts.",
        # A fallback that offers the nearest topics: the question may be in the leaflet
        # in other words, so the bot says it is unsure rather than that it is not there.
        "fallback_nearest": "Ik vind in de folder {title} geen duidelijk antwoord op uw "
        "vraag. Ik wil u geen verkeerd antwoord geven.",
        "nearest": "Misschien bedoelt u:",
        "nearest_else": "Staat uw vraag er niet bij? Stel hem dan aan uw huisarts.",
        "empty": "Typ uw vraag in een paar woorden. Bijvoorbeeld: Hoeveel calcium heb ik nodig?",
        "vague": "Ik begrijp uw vraag nog niet. Kunt u het anders zeggen? Of kies een onderwerp.",
        "alphabet": "Ik kan alleen vragen in het Nederlands of Engels lezen. "
        "I can only read questions in Dutch or English.",
        "urgent": "Dit klinkt dringend. Is er levensgevaar? Bel dan direct 112. "
        "Anders: bel nu uw huisarts. 's Avonds, 's nachts en in het weekend belt u de "
        "huisartsenpost. Wacht niet op deze chat: die kan u bij spoed niet helpen.",
        "crisis": "Denkt u aan zelfdoding? U hoeft dit niet alleen te dragen. Praat erover "
        "met 113 Zelfmoordpreventie: bel 113 of gratis 0800-0113, dag en nacht. Is er nu "
        "levensgevaar? Bel direct 112.",
        "greeting": "Hallo! Ik beantwoord vragen over de folder {title}. "
        "Typ uw vraag, of kies een onderwerp.",
        "thanks": "Graag gedaan. Hebt u nog een vraag? Typ die gerust.",
        "bye": "Tot ziens. Hebt u later nog een vraag, dan kunt u die altijd stellen.",
        "who": "Ik ben een chatbot van het {hospital}. Ik geef antwoord uit de folder "
        "{title} ({department}). Ik geef geen persoonlijk medisch advies: "
        "daarvoor gaat u naar uw huisarts.",
        "help": "Typ uw vraag in gewone woorden. Bijvoorbeeld: Hoeveel calcium heb ik nodig? "
        "Of kies een onderwerp. Voor persoonlijk medisch advies gaat u naar uw huisarts.",
        "topics": "Kies een onderwerp uit de folder {title}:",
        "section": "{section}: kies een vraag.",
        "retype": "Typ uw vraag dan op een andere manier. Korte zinnen werken het best.",
        "stale": "Deze knop werkt niet meer. Kies opnieuw een onderwerp.",
        "welcome": "Welkom! Ik beantwoord vragen over de folder {title} ({department}, "
        "{hospital}). Ik geef geen persoonlijk medisch advies: daarvoor gaat u naar uw "
        "huisarts. Typ uw vraag in gewone woorden, of kies een onderwerp.",
        "sources": "Mijn antwoorden komen uit de folder {title} van {department}, {hospital}. "
        "Elk antwoord noemt het deel van de folder waar het uit komt.",
        "not_text": "Ik kan alleen getypte vragen lezen. Typ uw vraag, of kies een onderwerp.",
        "slow_down": "U stuurt veel berichten kort na elkaar. Wacht even, dan help ik u weer.",
        "sorry": "Sorry, er ging iets mis bij mij. Probeer het over een minuut opnieuw.",
        "unknown_command": "Dat commando ken ik niet. Typ uw vraag, of kies /onderwerpen.",
        "vote_thanks": "Dank u voor uw reactie.",
        "useful": "👍 Nuttig",
        "not_useful": "👎 Niet nuttig",
        "chosen": "✅ {label}",
        "vote_offer": "Jammer dat dit u niet hielp. Stel uw vraag op een andere manier, "
        "of kies een onderwerp.",
        "ask_again": "Opnieuw vragen",
        "prompt": "(typ uw vraag, een nummer, of 'stop')",
        "goodbye": "Tot ziens.",
        "reloaded": "De FAQ is opnieuw geladen: {count} vragen.",
        "reload_failed": "De nieuwe FAQ heeft fouten; de oude blijft in gebruik.",
    },
    "en": {
        "source": "Source: leaflet {title} – {section}",
        "more": "Read more",
        "menu": "Topics",
        "other": "Something else",
        "clarify": "I am not sure what you mean. Do you mean one of these topics?",
        "clarify_other": "Something else? Then please ask in another way.",
        "fallback": "This is not in the leaflet {title}. I do not want to give you a wrong "
        "answer. Please ask your GP (huisarts).",
        "fallback_costs": "This is not in the leaflet {title}. For questions about costs and "
        "insurance, ask your health insurer or the hospital.",
        "fallback_medicine": "This is not in the leaflet {title}. For questions about a "
        "particular medicine, ask your pharmacy or your GP (huisarts).",
        "fallback_nearest": "I cannot find a clear answer to your question in the leaflet "
        "{title}. I do not want to give you a wrong answer.",
        "nearest": "Perhaps you mean:",
        "nearest_else": "Is your question not among these? Then please ask your GP (huisarts).",
        "empty": "Please type your question in a few words. For example: "
        "How much calcium do I need?",
        "vague": "I do not understand your question yet. Could you put it another way? "
        "Or choose a topic.",
        "alphabet": "Ik kan alleen vragen in het Nederlands of Engels lezen. "
        "I can only read questions in Dutch or English.",
        "urgent": "This sounds urgent. Is a life in danger? Call 112 now. "
        "Otherwise: call your GP (huisarts) now. In the evening, at night and at the weekend, "
        "call the GP out-of-hours service (huisartsenpost). Do not wait for this chat: "
        "it cannot help in an emergency.",
        "crisis": "Are you thinking about suicide? You do not have to carry this alone. Talk "
        "to 113 Suicide Prevention: call 113 or free 0800-0113, day and night. Is a life in "
        "danger now? Call 112 at once.",
        "greeting": "Hello! I answer questions about the leaflet {title}. "
        "Type your question, or choose a topic.",
        "thanks": "You are welcome. Any other question? Just type it.",
        "bye": "Goodbye. If you have a question later, you can always ask it.",
        "who": "I am a chatbot of the {hospital}. I answer from the leaflet {title} "
        "({department}). I give no personal medical advice: for that, see your GP (huisarts).",
        "help": "Type your question in your own words. For example: How much calcium do I need? "
        "Or choose a topic. For personal medical advice, see your GP (huisarts).",
        "topics": "Choose a topic from the leaflet {title}:",
        "section": "{section}: choose a question.",
        "retype": "Then please type your question in another way. Short sentences work best.",
        "stale": "This button no longer works. Please choose a topic again.",
        "welcome": "Welcome! I answer questions about the leaflet {title} ({department}, "
        "{hospital}). I give no personal medical advice: for that, see your GP (huisarts). "
        "Type your question in your own words, or choose a topic.",
        "sources": "My answers come from the leaflet {title} of {department}, {hospital}. "
        "Every answer names the part of the leaflet it comes from.",
        "not_text": "I can only read typed questions. Type your question, or choose a topic.",
        "slow_down": "You are sending many messages in a short time. Please wait a moment.",
        "sorry": "Sorry, something went wrong on my side. Please try again in a minute.",
        "unknown_command": "I do not know that command. Type your question, or choose "
        "/onderwerpen.",
        "vote_thanks": "Thank you for your reaction.",
        "useful": "👍 Useful",
        "not_useful": "👎 Not useful",
        "chosen": "✅ {label}",
        "vote_offer": "Sorry this did not help. Ask your question in another way, "
        "or choose a topic.",
        "ask_again": "Ask again",
        "prompt": "(type your question, a number, or 'stop')",
        "goodbye": "Goodbye.",
        "reloaded": "The FAQ was reloaded: {count} questions.",
        "reload_failed": "The new FAQ has errors; the old one stays in service.",
    },
}
