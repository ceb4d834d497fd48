"""Departments, township offices, enterprises (by industry) and people."""
