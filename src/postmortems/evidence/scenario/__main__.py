"""``python -m postmortems.evidence.scenario OUT_DIR [--preset NAME] [--seed N]``."""

from postmortems.evidence.scenario import main

if __name__ == "__main__":
    raise SystemExit(main())
