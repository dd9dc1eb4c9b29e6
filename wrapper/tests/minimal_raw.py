"""A raw folder of the smallest kind the loaders accept (test_postgres.py, test_spark.py):
campaigns.csv as the test writes it, the other required tables as headers only."""

from __future__ import annotations

from pathlib import Path

REQUIRED_HEADERS = {
    "skus.csv": "sku,sku_name,category,positioning,tier,unit_cost,is_active\n",
    "recipients.csv": "recipient_id,campaign_id,email,company,segment,country,variant,is_holdout\n",
    "shipments.csv": "shipment_id,campaign_id,recipient_id,sku,channel,quantity,supplier,"
    "carrier,ordered_at,shipped_at,delivered_at,status,shipping_cost,handling_cost\n",
}


def write(folder: Path, name: str, text: str) -> None:
    """The file as UTF-8 bytes, line ends as written."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode("utf-8"))


def minimal_folder(folder: Path, campaigns_csv: str) -> Path:
    write(folder, "campaigns.csv", campaigns_csv)
    for name, header in REQUIRED_HEADERS.items():
        write(folder, name, header)
    return folder
