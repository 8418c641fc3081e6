-- wrk script: the actual requests of mixed.lua (no preflights: a service without CORS has
-- none to answer), for the throughput ratio of `cargo run --example service` against the same
-- service `--cors off` (run.sh). Each wrk thread sends one request shape and counts answers
-- by status, which is the same with and without CORS; `done` prints
-- `LOAD <shape> ok=N bad=N first_bad=...`, which run.sh checks.
--
-- With arguments (`wrk -t1 -c1 ... -- SHAPE N`, instructions.sh) the thread sends only the shape
-- named SHAPE, one request at a time, and wrk exits after the N-th answer (its LOAD line
-- printed): an exact count of requests.

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

local function named(name)
  for _, s in ipairs(shapes) do
    if s.name == name then
      return s
    end
  end
  error("no request shape named " .. name)
end

function init(args)
  shape = args[1] and named(args[1]) or shapes[id % #shapes + 1]
  name, limit = shape.name, tonumber(args[2])
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
  if limit and ok + bad >= limit then
    -- wrk would wait out its duration; the count is what was asked for, so report and leave.
    report(name, ok, bad, first_bad)
    io.stdout:flush()
    os.exit(0)
  end
end

function report(name, ok, bad, first_bad)
  io.write(string.format("LOAD %s ok=%d bad=%d first_bad=%s\n", name, ok, bad, first_bad))
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    report(thread:get("name"), thread:get("ok"), thread:get("bad"), thread:get("first_bad"))
  end
end
