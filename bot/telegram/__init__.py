"""The Telegram side: the only modules that import `telegram`. The core never imports them.

app.py        build_application: the Defaults, the context types, every handler
context.py    BotContext (the typed context), Service, BotData, ChatData
guard.py      the per-chat throttle, once, before every handler
commands.py   /start, /onderwerpen, /help, /bron, /privacy, /vergeet, unknown commands
questions.py  typed questions and messages that are not text
buttons.py    pressed buttons and votes
admin.py      /stats and /reload (and the FAQ reload SIGHUP uses)
errors.py     the one error handler
delivery.py   send a reply; retry.py: the retry policy sends and polling share
render.py     HTML, splitting, keyboards
introduce.py  the commands and descriptions Telegram shows new users
run.py        run_bot: polling (polling.py) or a webhook
"""
