"""The Work orders screen: boards, list, the work-order editor, the garage time clock, printing."""
