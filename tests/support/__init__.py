"""Code the tests and the benchmarks share, and nothing else: no test lives here.

- `seed`: the seeded orgs, contacts and call, the fixed `NOW`, and the contacts' Slack ids.
- `forms`: the one sample form (every kind of field) and the answers that fill it in.
- `files`: the same form as a YAML file, an orgs CSV and a call file, for the import and CLI tests.
- `export_data`: a loaded call with answers of every field type, to export.
- `overview_oracle`: the slow, obviously right overview the digest is checked against.
- `slack_app`: the real Bolt app in-process, driven by signed requests (the fast way to test listeners).
- `bot_process`: `frist serve` / `frist run` as a real process, and a client that signs as Slack does.
- `slack_views`: reading what the bot posted, clicking its buttons, submitting its modals.
- `crash_load`: the load that is sent while a bot process is killed and restarted.
- `waiting`: waiting on a condition with a deadline, instead of sleeping.

The fake Slack itself is `tests/fakes`, a package with its own tests.
"""
