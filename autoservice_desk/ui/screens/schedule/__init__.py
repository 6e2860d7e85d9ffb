"""The Schedule screen: bays, lifts and mechanics over a day or a week, with the bookings on them."""
