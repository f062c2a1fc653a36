"""The returns tests' shop (a customer with a delivered order of a serialised phone) for the console tests."""

from haumai.returns.tests.conftest import shop

__all__ = ["shop"]
