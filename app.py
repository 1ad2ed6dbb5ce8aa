"""`python app.py [flags]`: the web demo and the HTTP API on http://127.0.0.1:7860 — exactly `uk-en serve [flags]`
(see `python app.py --help`); everything lives in `translate.web` and `translate.cli`.

From the repository, the settings default to configs/default.toml (quality model + default glossary).
"""

import sys
from pathlib import Path

from translate.web import main

DEFAULT_CONFIG = Path(__file__).resolve().parent / "configs" / "default.toml"

if __name__ == "__main__":
    argv = sys.argv[1:]
    if not any(a in ("--config", "-c") or a.startswith("--config=") for a in argv):
        argv = ["--config", str(DEFAULT_CONFIG), *argv]
    raise SystemExit(main(argv))
