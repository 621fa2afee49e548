"""One way to name a person everywhere (vendors/people.py)."""

from django.contrib.auth.models import User

from vendors.people import person_name


def test_a_chinese_name_is_family_name_first_without_a_space():
    assert person_name(User(username="wxw", first_name="晓雯", last_name="王")) == "王晓雯"


def test_other_names_are_given_name_first():
    assert person_name(User(username="as", first_name="Anna", last_name="Schmidt")) == "Anna Schmidt"


def test_the_username_stands_in_only_without_a_name():
    assert person_name(User(username="legal")) == "legal"
    assert person_name(User(username="legal", first_name="Yang")) == "Yang"


def test_nobody_has_no_name():
    assert person_name(None) == ""
