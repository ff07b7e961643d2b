"""The two mirrored archives of HN "Who is hiring?" posts, read into the comment records a live fetch gives.

- gaganpreet/hn-hiring-mapped (2013-08 … 2018-04, 54 thread months): one JSON array per month; `full_html` is
  the comment HTML as HN serves it, the month is the file name, there is no time per comment.
- gantryops/hn-jobs-data (2026-01 … 2026-04, five collection runs): `jobs` of source "who_is_hiring" are the
  thread's top-level comments in the HN API shape (id, by, time, text); "direct" job stories are not thread
  posts and are left out. The April thread was collected twice: the union by comment id counts it once.

Both are pinned by commit and sha256 and come in as snapshots of the hackernews source. The gaganpreet
collector's own fields (its location cut, geocoding, remote/intern/h1b flags) are a peer's output:
`peer_fields` keeps them apart for comparison; they never become labels or posting fields.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from marketlib import schemas
from marketlib.errors import UserError
from marketlib.snapshots import Snapshot
from marketlib.sources import UpstreamFile
from marketlib.sources import hn_parse as hp
from marketlib.sources.hn_comments import COMMENT_SCHEMA, NAME, comment_records_frame

GAGANPREET_COMMIT = "9b6b32f9c3e0665cc944b82bfd2a1b7e61248fac"
GAGANPREET_MIRROR = "hackernews_hiring_2013_2018_gaganpreet"
GAGANPREET_PREFIX = "gaganpreet-"  # snapshot names: gaganpreet-2013-08.json …
GANTRYOPS_COMMIT = "de8c3aee06b22528e020a7155b4339af5f99b0ae"
GANTRYOPS_MIRROR = "hackernews_hiring_2026_gantryops"
GANTRYOPS_PREFIX = "gantryops-"  # snapshot names: gantryops-2026-01-01-raw.json …

# sha256 of src/web/data/<month>.json at GAGANPREET_COMMIT.
GAGANPREET_MONTHS = {
    "2013-08": "3b1fbb4c8e3b1b13b4e48f4d3eb72359c930fb6b294f6042de5ad1ab2ca685dd",
    "2013-09": "aef6bd1c4f3341c7c9ab37602020c0dae0caa9e35d309666dddf538c4fbdf6ee",
    "2013-10": "acf4a312e844e8256b0ae528238cc631aedb412ae1962b297349d4dc8f5c7f16",
    "2013-11": "4ac781871e3019e72891dc66802b06a76ebbf3a4e135fc25d8042a561c7341c6",
    "2013-12": "346e0f71feb837a03313d3b46070cd31ef7d023978a22489ebc766b19138210e",
    "2014-01": "3108c02d356f93e6c443fc6ffe03fae521441a05049bb86300469fbedd80e791",
    "2014-02": "8e4520e8385f26148a696ff41f967eb8965c06978e7cffc0da82478b2bc19962",
    "2014-03": "145ad46b2d4a451619ad341d3a97ede3284bd2fa30ee53aeabc345cc7480826d",
    "2014-04": "ee5afeaf17f58f254e1021f9b0f232e26977886f08a2e990917e9c3c0f30bcc3",
    "2014-05": "cda03f369fad14428dc733617e9424f0021856f496d10c99a7e58e246941d0f8",
    "2014-06": "48f5351f6d4ef91d69161dab19a48ff6ebc8e89453792f5d0d88a9b5859f7ed2",
    "2014-07": "0bf22271b44f2e11fbb3f11f584ddfad7f106968317ed87a562397cadae587cd",
    "2014-08": "7a382bf60054701c070cae9dee3cbbe1cc09c89bd39ff23ecdd34029b8f0c515",
    "2014-09": "445d89766330d529446b16a1ee091e4bacd47119d3bdedf0c3f8a3d5d6cbdec2",
    "2014-10": "a205004f6ed186b6cfb9931b08d7515a70b0bdbd7ce88287870c34586d3ebaa5",
    "2014-11": "e6d9df8926fe98a66d02a8834c6f8cbceb385f6c4f3c5ac43874cc290193a350",
    "2014-12": "86e3f82757f03bc1c552409cebf0a9bb8de65f72a76d15e3f4cdc959d82d2758",
    "2015-01": "ffe1baa4e49cf1897f569c7fa8fdbcf138cd2e4f47478d195a23905d9ac01079",
    "2015-02": "2db52289e5f8bb3ae779a253c6de60dd8c494716f06274fe50d66a986c32282f",
    "2015-03": "b8709a91d856ea49f268e6944b718c997a04a190a2c1280b9c95bca790fca1b0",
    "2015-04": "56202fa3c772741c49137a58215fa9fe508346bbfcc701400fd956c393961768",
    "2015-05": "51d0014e2e1f783e4c8f7818725029ee845cc63d6bf1a954f8fb1b1ebbf8ef93",
    "2015-06": "f142191b071a3acd1ea1c6c3f2530c67dee962bf6366c3319e0036073d2abcf1",
    "2015-07": "b827f55b0c7d41aee244ba04f75f769cc60a7c9a18b19fb41414e2f9870ba5de",
    "2015-08": "823f6b540bd739f3beedaa8c54ffc1459572928aa10d4186089a1f63213f4448",
    "2015-09": "5ae0335ddca06fa6a46e00241974088cc42453683ea6b4f10fba2143541e283b",
    "2015-10": "5952229c2fce304498db0aa10e951811094d53d90b002e4f470bfbbd5ab0008d",
    "2015-11": "31a2efa0e0ae616ab9301b7007aa736e910ff877cd2f0ce10efa9f049ad9fca2",
    "2015-12": "2cb757e409fb1f325a1b2daa189ae8967cbd1574373864bc0ffa63740549b7cc",
    "2016-01": "690f97f9f3586d7297d7c31936426169370750b088f48a66e8733485b3b1e3ad",
    "2016-02": "3c942e7013090eda84da7a69b6d7b14817c8e7ddf9e2c5f7c1e0e3ad122181ea",
    "2016-03": "a2cc174e9febea6ea6776abadfe7eb194b8ffe020401746f4d2ae4ee19218761",
    "2016-04": "0068c4fd7eefb5224e8bdb0f0ea12ddc207b89e489cf9233def987ac7caeea77",
    "2016-05": "cd2e1ded035dea259cb8b125070d10832bd6c489bfdfd8e318a613329d6c41c6",
    "2016-06": "67a6558f4170507f022b7e52d1890bb857ed7d81d2dc7489347179418a76180c",
    "2016-08": "2b92e5c8b422e4e41d5afe4e6f3932939a585074b3b8112300de26799a986a29",
    "2016-09": "ba40c6ab78e6dd2b6f72d9c1e097b3044b592129d422b9bd888e196bda374fa6",
    "2016-10": "8934ed16dc233704a913c914b08c5e6a88d030cb505f2a50ac7e98fd679a4bb6",
    "2016-11": "2e11265c2712146e6d257f598a1526638bcf61eb96db68d1e53b7c5fa1da3e96",
    "2016-12": "dbe7a23603b78b044130c4e703bd874aa45f7ce5f86b45a20aa726615bf57616",
    "2017-01": "fdfcaabe67de699511e5035be0da8aea51fe0ca43ef9ee21960092ac7e452322",
    "2017-02": "7733788456489cb7c45e2d76660c1a36d3ce362380391c937d374f13ba1c32fc",
    "2017-03": "95b83e118eecfe3c3dc9f255667f658e5b7b7aa56a662b3b5c4b3bfb36e52c08",
    "2017-04": "490dcaa119a3b6bebd443468bb34d707cb1089233c79ede9833791921f473eb2",
    "2017-05": "c611104a675c979c221535580ea9a9acc94170e85b26fd2dee2c4a406296f262",
    "2017-06": "16c9a610d30aa71f9d196df7854d5c6fcc0fafae213d1912d879e035f4a02bfc",
    "2017-07": "5e674d1ab7534c1ace605b81007428cb488d71d776a24abd3444c356d47f5b58",
    "2017-10": "3a77cb5db5151519e39389b30bb962d29feef15716d7f3fa2338b11f66ae527f",
    "2017-11": "6b42c720bff516fd14166db1610754d76721abc43b7d6540e44ecb117f259fe3",
    "2017-12": "e844483a9308ea763711ceb3a87c07e9f1ae9f0881d6f59c4ec6ab7d96f17a56",
    "2018-01": "57882ed0e2499313c6f65ab1077c2e9acc8908d518a18ec28b7fed57ad10b71e",
    "2018-02": "69f256b386fbe4df5a409d6aaf149d36da08785d51653678dda65333dcb270fb",
    "2018-03": "48f159064408411d7cfee25c3feb39558d1ee22752a6d13864427f865c29547e",
    "2018-04": "4df1a401093cf6199b1e184d9c378ed3ea76f5a0563ca6ae0a54876b3a5ffedc",
}
# sha256 of runs/<run>/raw.json at GANTRYOPS_COMMIT.
GANTRYOPS_RUNS = {
    "2026-01-01": "78f2ae71a73f014133732ecbe60c0d84331bb95c2d1c616ad8234278743bcb16",
    "2026-02-01": "3df30864c48a44eeabc1312f4dffb1de250ff5059a6f66d4ff9c17da2048f98f",
    "2026-03-15": "8e9688c1218a26145c35457130ead103e387ec816021b0b3ed4ecf0fb66675f6",
    "2026-04-17": "34ce87f97aabae62ebaf9052b970ed0398d0ad5c35d7b5d3efaff2a782723bc4",
    "2026-04-28": "ebac980195d542ee20151e7886bcac48d5af8d6d0fa8156102298f0ea952102b",
}


def pinned_files(sha256_by_key: dict[str, str], *, name: str, url: str, version: str,
                 mirror_path: str) -> tuple[UpstreamFile, ...]:
    """One pinned file per key (month, run, file): name, URL and mirror path are formats of the key."""
    return tuple(
        UpstreamFile(name=name.format(key), url=url.format(key), version=version, sha256=sha,
                     mirror_path=mirror_path.format(key))
        for key, sha in sha256_by_key.items()
    )


def upstream_files() -> tuple[UpstreamFile, ...]:
    raw = "https://raw.githubusercontent.com"
    return pinned_files(
        GAGANPREET_MONTHS, name=GAGANPREET_PREFIX + "{}.json", version=GAGANPREET_COMMIT,
        url=f"{raw}/gaganpreet/hn-hiring-mapped/{GAGANPREET_COMMIT}/src/web/data/{{}}.json",
        mirror_path=GAGANPREET_MIRROR + "/monthly/{}.json",
    ) + pinned_files(
        GANTRYOPS_RUNS, name=GANTRYOPS_PREFIX + "{}-raw.json", version=GANTRYOPS_COMMIT,
        url=f"{raw}/gantryops/hn-jobs-data/{GANTRYOPS_COMMIT}/runs/{{}}/raw.json",
        mirror_path=GANTRYOPS_MIRROR + "/runs/{}/raw.json",
    )


def is_archive_snapshot(snap: Snapshot) -> bool:
    return snap.original_name.startswith((GAGANPREET_PREFIX, GANTRYOPS_PREFIX))


_GAGANPREET_FIELDS = {
    "url": pl.String(), "user": pl.String(), "full_html": pl.String(), "location": pl.String(),
    "address": pl.String(), "country": pl.String(), "lat": pl.Float64(), "lon": pl.Float64(),
    "remote": pl.Boolean(), "intern": pl.Boolean(), "h1b": pl.Boolean(),
}


def _read_json(snap: Snapshot):
    try:
        return json.loads(snap.read_bytes())
    except ValueError as exc:
        raise UserError(f"{snap.snapshot_id} is not readable JSON ({str(exc).splitlines()[0]}).") from None


def _gaganpreet_month(snap: Snapshot) -> dt.date:
    stem = snap.original_name.removeprefix(GAGANPREET_PREFIX).removesuffix(".json")
    return dt.date.fromisoformat(f"{stem}-01")


def _gaganpreet_frame(snap: Snapshot) -> pl.DataFrame:
    """One monthly file as rows of its own fields plus comment_id and month_date."""
    items = _read_json(snap)
    frame = pl.DataFrame(items if isinstance(items, list) else [], schema=_GAGANPREET_FIELDS)
    return frame.with_columns(
        pl.col("url").str.extract(r"[?&]id=(\d+)").alias("comment_id"),
        pl.lit(_gaganpreet_month(snap)).alias("month_date"),
    ).filter(pl.col("comment_id").is_not_null())


def _gaganpreet_comments(snap: Snapshot) -> pl.DataFrame:
    frame = _gaganpreet_frame(snap)
    return frame.select(
        "comment_id",
        pl.lit(True).alias("is_top_level"),
        pl.col("full_html").alias("text"),
        pl.lit(None, dtype=COMMENT_SCHEMA["posted_at"]).alias("posted_at"),
        pl.col("user").alias("author"),
        pl.lit(False).alias("is_deleted"),
        pl.lit(False).alias("is_dead"),
        pl.lit(snap.snapshot_id).alias("snapshot_id"),
        pl.lit(snap.fetched_at, dtype=COMMENT_SCHEMA["fetched_at"]).alias("fetched_at"),
        "month_date",
    )


def _gantryops_comments(snap: Snapshot) -> pl.DataFrame:
    run = _read_json(snap)
    title = ((run.get("sources") or {}).get("who_is_hiring_thread_title") or "") if isinstance(run, dict) else ""
    kind_month = hp.thread_kind_and_month(title)
    jobs = [j for j in (run.get("jobs") or []) if isinstance(j, dict) and j.get("source") == "who_is_hiring"] \
        if kind_month and kind_month[0] == "hiring" else []
    records = hp.comments_from_firebase([(j.get("id"), j) for j in jobs])
    return comment_records_frame(
        records,
        snapshot_id=snap.snapshot_id,
        fetched_at=snap.fetched_at,
        month_date=kind_month[1] if kind_month else None,
    )


def archive_comments(snapshots: dict[str, Snapshot]) -> pl.DataFrame:
    """Every archived hiring-thread post as comment records (COMMENT_SCHEMA), the newest collection run of
    a thread first so that the union by comment id keeps its latest text."""
    archived = [s for s in snapshots.values() if is_archive_snapshot(s)]
    gantry = sorted((s for s in archived if s.original_name.startswith(GANTRYOPS_PREFIX)),
                    key=lambda s: s.original_name, reverse=True)
    frames = [_gantryops_comments(s) for s in gantry]
    frames += [_gaganpreet_comments(s) for s in sorted(archived, key=lambda s: s.original_name)
               if s.original_name.startswith(GAGANPREET_PREFIX)]
    return pl.concat(frames) if frames else pl.DataFrame(schema=COMMENT_SCHEMA)


PEER_FIELDS = {  # the collector's field -> its name here (peer_ marks a peer's output)
    "location": "peer_location", "country": "peer_country", "lat": "peer_lat", "lon": "peer_lon",
    "remote": "peer_is_remote", "intern": "peer_is_intern", "h1b": "peer_mentions_h1b",
}


def peer_fields(snapshots: dict[str, Snapshot]) -> pl.DataFrame:
    """The `hn_peer_fields` table: the gaganpreet collector's own fields per comment (its location cut,
    geocoding and keyword flags), a peer's output to compare the project's parse against, never labels."""
    frames = [
        _gaganpreet_frame(s).select("comment_id", "month_date", *[pl.col(k).alias(v) for k, v in PEER_FIELDS.items()],
                                    pl.lit(NAME).alias("source"), pl.lit(s.snapshot_id).alias("snapshot_id"))
        for s in snapshots.values()
        if s.original_name.startswith(GAGANPREET_PREFIX)
    ]
    if not frames:
        return schemas.empty("hn_peer_fields")
    table = pl.concat(frames).unique("comment_id", keep="first").sort("comment_id")
    return schemas.conform(table, schemas.schema("hn_peer_fields"))
