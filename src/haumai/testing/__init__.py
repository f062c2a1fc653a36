"""Local servers on 127.0.0.1 that speak external providers' protocols (SMTP, Zalo, SMS, carriers,
VNPay, MoMo) with payloads from their public docs. Used by tests, benchmarks and the offline demo;
production code never imports this package."""
