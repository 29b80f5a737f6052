"""Characters for the voice tests: a name, a role, who they appear to be, and voice words."""

from __future__ import annotations

from cliffhanger.model.bible import Appearance, Character, Gender, Role, Voice


def person(
    ident: str,
    gender: Gender,
    age: int = 30,
    role: Role = Role.ALLY,
    **voice: str,
) -> Character:
    return Character(
        id=ident,
        name=ident.title(),
        role=role,
        want="to win",
        appearance=Appearance(age=age, gender=gender),
        voice=Voice.model_validate(voice),
    )
