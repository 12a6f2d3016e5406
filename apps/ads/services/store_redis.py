"""The Redis delivery store (services/store.py): two Lua scripts decide and count atomically.

Keys (under the cache's prefix, `<prefix>:ads:`):
  c:<campaign>            hash: live, pr (pricing), cost, bud (left, thousandths), dly, day, sd
                          (spent that day), cap, adv, st, en, nb/au/lg (|a|b| lists), ix (its
                          index keys), cr:<placement> (creative keys, comma-separated), exh
  a:<advertiser>          hash: bal (the balance delivery may still spend, thousandths)
  x:<placement>:<city>    sorted set of campaigns by score (city "*": untargeted)
  d:<day>:<campaign>      hash of the day's cumulative counters: imp, clk, spent, flt (filtered)
  f:<campaign>:<viewer>:<day>   a viewer's counted impressions (frequency cap)
  s:<i|c>:<impression>    a token already counted (replay), until the token expires
  u:<i|c>:<campaign>:<viewer>   a viewer already counted in the window (deduplication)
  r:<viewer>:<minute>     a viewer's beacons this minute (robots by rate)
  l:<user>:<listing>      the user's last click on a listing: campaign|creative|unix time
  dirty                   set of "<campaign>|<day>" whose counters changed since the last sync
  epoch                   present while the store holds what PostgreSQL loaded into it
"""

from __future__ import annotations

import random

from django.conf import settings
from django.core.cache import cache

from .store import COUNTED, CampaignState, Outcome, Pick, local_day

PICK = r"""
local p = ARGV[1]
local now = tonumber(ARGV[2]); local day = ARGV[3]; local sid = tonumber(ARGV[4])
local interval = tonumber(ARGV[5]); local viewer = ARGV[6]; local want = tonumber(ARGV[7])
local placement = ARGV[8]; local nb = ARGV[9]; local au = ARGV[10]; local lg = ARGV[11]
local scan = tonumber(ARGV[12]); local rnd = tonumber(ARGV[13])
local function listed(list, value)
  if not list or list == '' then return true end
  if value == '' then return false end
  return string.find(list, '|' .. value .. '|', 1, true) ~= nil
end
local function creative(cid)
  local h = redis.call('HMGET', p .. 'c:' .. cid, 'live', 'pr', 'cost', 'bud', 'dly', 'day', 'sd', 'cap',
    'adv', 'st', 'en', 'nb', 'au', 'lg', 'cr:' .. placement)
  if h[1] ~= '1' then return nil end
  local st = tonumber(h[10]) or 0; local en = tonumber(h[11]) or 0
  if now < st or (en > 0 and now >= en) then return nil end
  if not (listed(h[12], nb) and listed(h[13], au) and listed(h[14], lg)) then return nil end
  if not h[15] or h[15] == '' then return nil end
  if h[2] ~= 'flat' then
    local cost = tonumber(h[3])
    if tonumber(h[4]) < cost then return nil end
    if tonumber(redis.call('HGET', p .. 'a:' .. h[9], 'bal') or '0') < cost then return nil end
    local dly = tonumber(h[5])
    if dly > 0 then
      local sd = 0
      if h[6] == day then sd = tonumber(h[7]) end
      -- even pacing: what the day so far allows, plus one interval
      local allowed = math.floor(dly * math.min(86400, sid + interval) / 86400)
      if sd + cost > allowed or sd + cost > dly then return nil end
    end
  end
  if viewer ~= '' and tonumber(h[8]) > 0 then
    local n = tonumber(redis.call('GET', p .. 'f:' .. cid .. ':' .. viewer .. ':' .. day) or '0')
    if n >= tonumber(h[8]) then return nil end
  end
  return h[15]
end
-- best first, a batch of each index at a time: most requests decide within the first batch
local batch = 16
local offsets = {}
for k = 1, #KEYS do offsets[k] = 0 end
local seen = {}
local out = {}
local scanned = 0
while #out / 2 < want and scanned < scan do
  local cands = {}
  local got = 0
  for k = 1, #KEYS do
    local r = redis.call('ZREVRANGE', KEYS[k], offsets[k], offsets[k] + batch - 1, 'WITHSCORES')
    offsets[k] = offsets[k] + batch
    for i = 1, #r, 2 do
      got = got + 1
      if not seen[r[i]] then seen[r[i]] = true; cands[#cands + 1] = {r[i], tonumber(r[i + 1])} end
    end
  end
  if got == 0 then break end
  scanned = scanned + got
  if #KEYS > 1 then table.sort(cands, function(a, b) return a[2] > b[2] end) end
  for _, c in ipairs(cands) do
    local list = creative(c[1])
    if list then
      local ids = {}
      for id in string.gmatch(list, '[^,]+') do ids[#ids + 1] = id end
      out[#out + 1] = c[1]
      out[#out + 1] = ids[(rnd + #out) % #ids + 1]
      if #out / 2 >= want then break end
    end
  end
end
return out
"""

COUNT = r"""
local p = ARGV[1]; local kind = ARGV[2]; local cid = ARGV[3]; local tid = ARGV[4]
local viewer = ARGV[5]; local day = ARGV[6]; local ttl = tonumber(ARGV[7])
local window = tonumber(ARGV[8]); local rate = tonumber(ARGV[9]); local minute = ARGV[10]
local listing = ARGV[11]; local user = ARGV[12]; local attribution = tonumber(ARGV[13])
local now = ARGV[14]; local crid = ARGV[15]
local ck = p .. 'c:' .. cid
if redis.call('EXISTS', ck) == 0 then return {'unknown', 0} end
if not redis.call('SET', p .. 's:' .. kind .. ':' .. tid, '1', 'NX', 'EX', ttl) then return {'replay', 0} end
local dk = p .. 'd:' .. day .. ':' .. cid
local function touched()
  redis.call('EXPIRE', dk, 8 * 86400)
  redis.call('SADD', p .. 'dirty', cid .. '|' .. day)
end
if viewer ~= '' then
  local rk = p .. 'r:' .. viewer .. ':' .. minute
  local r = redis.call('INCR', rk)
  if r == 1 then redis.call('EXPIRE', rk, 120) end
  if r > rate then redis.call('HINCRBY', dk, 'flt', 1); touched(); return {'rate', 0} end
  if not redis.call('SET', p .. 'u:' .. kind .. ':' .. cid .. ':' .. viewer, '1', 'NX', 'EX', window) then
    redis.call('HINCRBY', dk, 'flt', 1); touched(); return {'duplicate', 0}
  end
end
local h = redis.call('HMGET', ck, 'pr', 'cost', 'bud', 'dly', 'day', 'sd', 'adv', 'ix')
local charge = 0
if (kind == 'i' and h[1] == 'cpm') or (kind == 'c' and h[1] == 'cpc') then
  local cost = tonumber(h[2]); local bud = tonumber(h[3])
  local ak = p .. 'a:' .. h[7]
  local bal = tonumber(redis.call('HGET', ak, 'bal') or '0')
  local sd = 0
  if h[5] == day then sd = tonumber(h[6]) end
  local room = math.min(bud, bal)
  local dly = tonumber(h[4])
  if dly > 0 then room = math.min(room, dly - sd) end
  if room >= cost then charge = cost end
  if charge > 0 then
    redis.call('HINCRBY', ck, 'bud', -charge)
    redis.call('HINCRBY', ak, 'bal', -charge)
    redis.call('HSET', ck, 'day', day, 'sd', sd + charge)
  end
  if bud - charge < cost then
    for ix in string.gmatch(h[8] or '', '[^ ]+') do redis.call('ZREM', ix, cid) end
    redis.call('HSET', ck, 'live', '0', 'exh', '1')
  end
end
if kind == 'i' then redis.call('HINCRBY', dk, 'imp', 1) else redis.call('HINCRBY', dk, 'clk', 1) end
if charge > 0 then redis.call('HINCRBY', dk, 'spent', charge) end
touched()
if kind == 'i' and viewer ~= '' then
  local fk = p .. 'f:' .. cid .. ':' .. viewer .. ':' .. day
  redis.call('INCR', fk); redis.call('EXPIRE', fk, 2 * 86400)
end
if kind == 'c' and user ~= '' and listing ~= '' then
  redis.call('SET', p .. 'l:' .. user .. ':' .. listing, cid .. '|' .. crid .. '|' .. now, 'EX', attribution)
end
return {'counted', charge}
"""


def _bars(values) -> str:
    return "|" + "|".join(values) + "|" if values else ""


class RedisStore:
    kind = "redis"

    def __init__(self):
        self._scripts: dict = {}

    # --- plumbing
    def _client(self):
        return cache.client.get_client(write=True)

    @property
    def prefix(self) -> str:
        return cache.make_key("ads") + ":"

    def _script(self, name: str, source: str):
        client = self._client()
        script = self._scripts.get((id(client), name))
        if script is None:
            script = self._scripts[(id(client), name)] = client.register_script(source)
        return script

    def _index(self, placement: str, city: str) -> str:
        return f"{self.prefix}x:{placement}:{city or '*'}"

    # --- loading
    def load(self, state: CampaignState) -> None:
        """Write a campaign's state. The budget and the day's spend are PostgreSQL's as last
        synchronised, less what the store counted since (read under WATCH: a beacon counted
        meanwhile makes the load start again), so reloading never gives spent money back."""
        import redis

        p = self.prefix
        client = self._client()
        key = f"{p}c:{state.key}"
        day_key = f"{p}d:{state.day}:{state.key}"
        indexes = [self._index(pl, city) for pl in state.placements for city in (state.cities or ("",))]
        while True:
            with client.pipeline(transaction=True) as pipe:
                try:
                    pipe.watch(key, day_key)
                    old = pipe.hget(key, "ix")
                    counted = pipe.hget(day_key, "spent")
                    budget, spent_day = state.budget_milli, state.spent_day_milli
                    if counted is not None:
                        extra = max(0, int(counted) - state.counted[2])
                        budget, spent_day = max(budget - extra, 0), max(spent_day, int(counted))
                    pipe.multi()
                    self._write(pipe, state, key, day_key, old, indexes, budget, spent_day)
                    pipe.execute()
                    return
                except redis.WatchError:
                    continue

    def _write(self, pipe, state, key, day_key, old, indexes, budget, spent_day) -> None:
        p = self.prefix
        for ix in old.decode().split() if old else []:
            pipe.zrem(ix, state.key)
        pipe.delete(key)
        mapping = {
            "live": "1",
            "pr": state.pricing,
            "cost": state.cost_milli,
            "bud": budget,
            "dly": state.daily_milli,
            "day": state.day,
            "sd": spent_day,
            "cap": state.cap,
            "adv": state.advertiser,
            "st": state.starts_at,
            "en": state.ends_at,
            "nb": _bars(state.neighbourhoods),
            "au": _bars(state.audiences),
            "lg": _bars(state.languages),
            "ix": " ".join(indexes),
            "exh": "0",
        }
        for placement, creatives in state.creatives.items():
            mapping[f"cr:{placement}"] = ",".join(creatives)
        pipe.hset(key, mapping=mapping)
        for ix in indexes:
            pipe.zadd(ix, {state.key: state.score})
        for name, value in zip(("imp", "clk", "spent", "flt"), state.counted, strict=True):
            if value:
                pipe.hsetnx(day_key, name, value)
        pipe.expire(day_key, 8 * 86400)
        pipe.set(f"{p}epoch", "1")

    def unload(self, key: str) -> None:
        p = self.prefix
        client = self._client()
        old = client.hget(f"{p}c:{key}", "ix")
        pipe = client.pipeline(transaction=True)
        for ix in old.decode().split() if old else []:
            pipe.zrem(ix, key)
        pipe.hset(f"{p}c:{key}", mapping={"live": "0", "ix": ""})
        pipe.execute()

    def set_balance(self, advertiser: str, milli: int) -> None:
        self._client().hset(f"{self.prefix}a:{advertiser}", "bal", milli)

    def balance(self, advertiser: str) -> int | None:
        value = self._client().hget(f"{self.prefix}a:{advertiser}", "bal")
        return int(value) if value is not None else None

    def add_balance(self, advertiser: str, milli: int) -> None:
        self._client().hincrby(f"{self.prefix}a:{advertiser}", "bal", milli)

    def loaded(self) -> bool:
        return bool(self._client().exists(f"{self.prefix}epoch"))

    def state(self, key: str) -> dict:
        raw = self._client().hgetall(f"{self.prefix}c:{key}")
        return {k.decode(): v.decode() for k, v in raw.items()}

    # --- delivering
    def pick(self, *, placement, city, neighbourhood, audience, language, viewer, want, now) -> list[Pick]:
        day, seconds = local_day(now)
        keys = [self._index(placement, "")]
        if city:
            keys.insert(0, self._index(placement, city))
        result = self._script("pick", PICK)(
            keys=keys,
            args=[
                self.prefix,
                int(now.timestamp()),
                day,
                seconds,
                settings.ADS_PACING_INTERVAL_SECONDS,
                viewer,
                want,
                placement,
                neighbourhood,
                audience,
                language,
                400,
                random.randrange(1 << 20),  # noqa: S311 -- rotating creatives, not a secret,
            ],
        )
        return [Pick(result[i].decode(), result[i + 1].decode()) for i in range(0, len(result), 2)]

    def count(self, *, kind: str, beacon, user: str, now) -> Outcome:
        day, _seconds = local_day(now)
        status, charge = self._script("count", COUNT)(
            keys=[],
            args=[
                self.prefix,
                kind,
                beacon.campaign,
                beacon.impression,
                beacon.viewer,
                day,
                settings.ADS_BEACON_TTL_SECONDS + 60,
                settings.ADS_DEDUP_WINDOW_SECONDS,
                settings.ADS_VIEWER_BEACONS_PER_MINUTE,
                int(now.timestamp()) // 60,
                beacon.listing,
                user,
                settings.ADS_ATTRIBUTION_DAYS * 86400,
                int(now.timestamp()),
                beacon.creative,
            ],
        )
        return Outcome(status.decode() if isinstance(status, bytes) else status, int(charge))

    def last_click(self, user: str, listing: str):
        value = self._client().get(f"{self.prefix}l:{user}:{listing}")
        if not value:
            return None
        campaign, creative, at = value.decode().split("|")
        return campaign, creative, int(at)

    # --- synchronising
    def dirty(self, limit: int = 5000) -> list[tuple[str, str]]:
        members = self._client().spop(f"{self.prefix}dirty", limit) or []
        return [tuple(m.decode().split("|", 1)) for m in members]

    def mark_dirty(self, key: str, day: str) -> None:
        self._client().sadd(f"{self.prefix}dirty", f"{key}|{day}")

    def counters(self, key: str, day: str) -> dict:
        raw = self._client().hgetall(f"{self.prefix}d:{day}:{key}")
        values = {k.decode(): int(v) for k, v in raw.items()}
        return {name: values.get(name, 0) for name in ("imp", "clk", "spent", "flt")}

    def exhausted(self, key: str) -> bool:
        return self._client().hget(f"{self.prefix}c:{key}", "exh") == b"1"


__all__ = ["COUNTED", "RedisStore"]
