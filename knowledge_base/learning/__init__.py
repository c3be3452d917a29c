"""Learning from use, with staff in the loop: a tapped "Maksud Anda" suggestion or a 👍 after an
answer makes the citizen's (masked) question a *candidate* phrasing of that entry
(``proposals.py``); staff accept or reject it (``decisions.py``). Only an accepted candidate
becomes a phrasing, through the ordinary entry save, so it is audited, in the entry's history,
and bumps the knowledge version that makes every running bot rebuild and retrain. A 👎 never
teaches anything."""
