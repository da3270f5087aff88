-- wrk script for Benchmarks/feeds-load.sh: each request asks for the next private feed path of the
-- list (one path a line, given after `--`), without If-None-Match, so every answer is the whole
-- calendar, as on a calendar client's first poll.
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  -- Threads start at different places in the list, so they do not ask for the same feed together.
  counter = math.random(#paths)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
