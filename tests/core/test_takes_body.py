"""takes_body's declaration: a view that takes a body must name the parameter it arrives in."""

import pytest
from pydantic import BaseModel

from apiary.core.routing import takes_body


class Note(BaseModel):
    text: str


def test_a_view_without_a_data_parameter_is_a_type_error_at_decoration() -> None:
    def add_note(note: Note) -> None:
        """Names its body `note`, which nothing would fill."""

    with pytest.raises(TypeError, match="add_note takes a body, so it needs a `data` parameter"):
        takes_body(Note)(add_note)
