-- Never-repeating URLs, so every request goes through nginx to a replica (cache misses).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", "/priorities?limit=" .. id .. "&offset=" .. n)
end
