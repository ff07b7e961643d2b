"""The one posting selection the analyses share: filters passed by name, a misspelt one refused in a sentence."""

from __future__ import annotations

import pytest

from marketlib.analysis import domain_demand, experience, skills
from marketlib.errors import UserError
from tests.data.tables import write_tables


@pytest.fixture
def tables(project):
    return write_tables(project.processed_dir)


@pytest.mark.parametrize("module", [experience, skills, domain_demand])
def test_a_misspelt_filter_names_the_valid_filters(tables, module):
    with pytest.raises(UserError) as caught:
        module.validate_params(role_familys=["ml_engineer"])
    message = str(caught.value)
    assert "role_familys" in message and "role_families" in message and "\n" not in message


@pytest.mark.parametrize("module", [experience, skills, domain_demand])
def test_filters_passed_by_name_reach_the_selection(tables, module):
    params = module.validate_params(role_families=["data_scientist"], seniority=["senior"], min_count=7,
                                    date_from="2024-01-01")
    assert params.selection.role_families == ("data_scientist",)
    assert params.selection.seniority == ("senior",)
    assert params.selection.min_count == 7
    assert str(params.selection.date_from) == "2024-01-01"
