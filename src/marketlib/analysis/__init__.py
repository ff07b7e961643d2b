"""All notebook logic, one module per notebook: parameter checks, computed tables, chart builders.

claims (00), city_odds (01), domain_demand (02), experience (03), skills (04), salaries (05),
market_trend (06).
Each module offers `validate_params(**params) -> Params`, `compute(params)` and chart functions; notebooks
only call these and display what they return.
"""
