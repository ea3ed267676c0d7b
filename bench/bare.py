"""The yardstick: a bare Flask app answering every GET with one fixed JSON body, served like Apiary."""

from flask import Flask

app = Flask(__name__)
BODY = {"success": True, "message": "a fixed body, about the size of a small Apiary answer"}


@app.get("/")
def fixed() -> dict[str, object]:
    return BODY
