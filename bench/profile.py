"""Profile one Apiary request in process: the SQL it sends, and where its Python time goes (pyinstrument).

    .venv/bin/python bench/profile.py DATABASE_URL PATH [--token-user demo-coder] [--repeat 200]

Run it on a database `make bench` would seed (apiary seed-demo with the volume options).
"""

import argparse
from typing import Any

import sqlalchemy as sa
from pyinstrument import Profiler

from apiary import create_app
from apiary.core.extensions import db

DEMO_PASSWORD = "Demo-pass-1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url")
    parser.add_argument("path")
    parser.add_argument("--token-user", help="send the access token of this demo user")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    app = create_app({"database_url": args.database_url, "ratelimit_enabled": False, "log_level": "WARNING"})
    client = app.test_client()
    headers = {}
    if args.token_user:
        login = client.post("/auth/login", json={"username": args.token_user, "password": DEMO_PASSWORD})
        headers["Authorization"] = f"Bearer {login.get_json()['data']['access_token']}"
    with app.app_context():
        statements: list[str] = []

        def record(*parts: Any) -> None:
            statements.append(parts[2])

        sa.event.listen(db.engine, "before_cursor_execute", record)
        answer = client.get(args.path, headers=headers)
        sa.event.remove(db.engine, "before_cursor_execute", record)
    print(f"{answer.status_code}, {len(answer.data)} bytes, {len(statements)} SQL statements:")
    for statement in statements:
        print("  ", " ".join(statement.split())[:300])
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.repeat):
            client.get(args.path, headers=headers)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
