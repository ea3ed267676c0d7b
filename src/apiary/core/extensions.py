"""Extensions created without an app; the factory binds them."""

from pathlib import Path

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from apiary.core.db import Base

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"

db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=str(MIGRATIONS_DIR))
