"""The read-only API for marketing systems (/api/v1/): a CDP, an SMS platform or an ad tool asks, with a key
Legal gave it, whether it may send personal data to a vendor (PIPL Art. 21, 23: the brand answers for the
vendors it shares data with)."""
