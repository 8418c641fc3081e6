-- wrk script: the actual requests of mixed.lua (no preflights: a service without CORS has
-- none to answer), for the throughput ratio of `cargo run --example service` against the same
-- service `--without-cors` (run.sh). Each wrk thread sends one request shape and counts answers
-- by status, which is the same with and without CORS; `done` prints
-- `LOAD <shape> ok=N bad=N first_bad=...`, which run.sh checks.

local token = "Bearer demo-token"

local shapes = {
  { name = "allowed-actual", method = "GET", path = "/api/profile",
    headers = { Origin = "https://app.example.com", Authorization = token }, status = 200 },
  { name = "unauthorized-actual", method = "GET", path = "/api/profile",
    headers = { Origin = "https://admin.example.com" }, status = 401 },
  { name = "foreign-actual", method = "GET", path = "/api/profile",
    headers = { Origin = "https://app.example.com.evil.com", Authorization = token }, status = 200 },
  { name = "public-actual", method = "GET", path = "/api/catalog",
    headers = { Origin = "https://elsewhere.example" }, status = 200 },
}

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  shape = shapes[id % #shapes + 1]
  prepared = wrk.format(shape.method, shape.path, shape.headers)
  ok, bad, first_bad = 0, 0, ""
end

function request()
  return prepared
end

function response(status, headers, body)
  if status == shape.status then
    ok = ok + 1
  else
    bad = bad + 1
    if first_bad == "" then
      first_bad = tostring(status)
    end
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local s = shapes[thread:get("id") % #shapes + 1]
    io.write(string.format("LOAD %s ok=%d bad=%d first_bad=%s\n",
      s.name, thread:get("ok"), thread:get("bad"), thread:get("first_bad")))
  end
end
