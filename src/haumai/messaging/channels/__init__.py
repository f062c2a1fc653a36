"""Channel clients: each turns a claimed Delivery into one provider call and an Outcome."""
