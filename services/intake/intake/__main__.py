"""python -m intake migrate | serve"""

from common.cli import run_service

if __name__ == "__main__":
    run_service("intake")
