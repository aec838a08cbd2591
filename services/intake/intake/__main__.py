"""python -m intake migrate | serve | rekey-client-keys"""

from common.cli import run_service
from intake.client_keys.command import REKEY_CLIENT_KEYS

if __name__ == "__main__":
    run_service("intake", commands={"rekey-client-keys": REKEY_CLIENT_KEYS})
