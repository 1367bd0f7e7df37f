-- run.lua: pandoc filter that runs the commands of {.run} blocks.
--
-- A block
--
--     ```{.run status=1 dir=src}
--     $ gcc -c hello.c
--     ```
--
-- is replaced by a code block of class "console" showing each "$ command"
-- followed by its real output (stdout and stderr together). Each command runs
-- with sh, LC_ALL=C and no input, in the chapter's try/ directory (or src/
-- with dir=src); the chapter directory is the metadata field chapterdir
-- (pandoc -M chapterdir=out/ch01), or else out/chNN from the chapter file.
-- A line not starting with "$ " continues the command above it. Every command
-- but the last must exit 0, the last must exit with status (default 0);
-- otherwise the filter writes "FILE:LINE: command ... exited N, expected M"
-- and the output to stderr and makes pandoc fail. FILE and LINE come from
-- the attributes nwfile and nwline that book/nwpandoc adds to the block.
-- Temporary file names such as /tmp/ccAbC123.o appear as /tmp/ccXXXXXX.o.
-- dir=src blocks run in a copy of the built snapshot, out/chNN/run/ (made
-- afresh for each weave), so that what they build or change never touches
-- the real out/chNN/ that tests and other targets read at the same time.
-- Commands run without the calling make's MAKEFLAGS (its -s, -j, jobserver).

local TIMEOUT = 300     -- seconds one command may take
local chapterdir = nil

local function fail(where, msg, output)
  io.stderr:write(where .. ": " .. msg .. "\n")
  if output and output ~= "" then
    io.stderr:write(output, output:sub(-1) == "\n" and "" or "\n")
  end
  os.exit(1)
end

local function shell_quote(s)
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- Make the output reproducible: compiler temp files get a fixed name.
local function normalise(s)
  return (s:gsub("/tmp/cc%w%w%w%w%w%w", "/tmp/ccXXXXXX"))
end

-- Run cmd in dir; return its output and exit status.
local function run(cmd, dir)
  local line = "cd " .. shell_quote(dir) .. " && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL"
      .. " -u MAKEOVERRIDES LC_ALL=C timeout " .. TIMEOUT
      .. " sh -c " .. shell_quote(cmd) .. " </dev/null 2>&1; echo \"@status=$?\""
  local p = io.popen(line, "r")
  local out = p:read("a")
  p:close()
  local body, status = out:match("^(.-)@status=(%d+)\n?$")
  if not body then
    return out, -1
  end
  return normalise(body), tonumber(status)
end

-- The chapter directory for a block from chapter file nwfile.
local function dir_for(nwfile, where)
  if chapterdir then return chapterdir end
  local nn = nwfile and nwfile:match("([0-9][0-9])[^/]*$")
  if not nn then
    fail(where, "no chapter directory: give pandoc -M chapterdir=out/chNN")
  end
  return "out/ch" .. nn
end

local function is_dir(path)
  local p = io.popen("test -d " .. shell_quote(path) .. " && echo yes", "r")
  local r = p:read("a")
  p:close()
  return r:match("yes") ~= nil
end

-- Copy chapter directory ch (sources and build outputs, not try/) to
-- ch/run/, once per weave; return the copy's src/.
local staged = {}
local function stage(ch, where)
  if not staged[ch] then
    local p = io.popen("cd " .. shell_quote(ch) .. " && rm -rf run && mkdir run && "
      .. "for f in *; do case $f in try|run) ;; *) cp -a \"$f\" run/ ;; esac; done "
      .. "2>&1; echo \"@status=$?\"", "r")
    local out = p:read("a")
    p:close()
    if not out:match("@status=0") then
      fail(where, "cannot copy " .. ch .. " to " .. ch .. "/run", out)
    end
    staged[ch] = true
  end
  return ch .. "/run/src"
end

local function run_block(cb)
  local file = cb.attributes.nwfile or "?"
  local first = tonumber(cb.attributes.nwline or "0")
  local want = tonumber(cb.attributes.status or "0")
  local where = file .. ":" .. first
  if not want then fail(where, "status must be a number") end
  local sub = cb.attributes.dir or "try"
  if sub ~= "try" and sub ~= "src" then
    fail(where, 'dir must be "src" or "try", not "' .. sub .. '"')
  end
  local ch = dir_for(cb.attributes.nwfile, where)
  if not is_dir(ch .. "/" .. sub) then
    fail(where, "no directory " .. ch .. "/" .. sub .. " (is the chapter tangled?)")
  end
  local dir = sub == "src" and stage(ch, where) or ch .. "/try"

  -- Commands: "$ " lines, each with the lines that follow it.
  local cmds, n = {}, 0
  for text in (cb.text .. "\n"):gmatch("(.-)\n") do
    n = n + 1
    if text:sub(1, 2) == "$ " then
      cmds[#cmds + 1] = { cmd = text:sub(3), line = first + n }
    elseif #cmds > 0 then
      cmds[#cmds].cmd = cmds[#cmds].cmd .. "\n" .. text
    elseif text:match("%S") then
      fail(file .. ":" .. (first + n), 'a run block must start with a "$ " line')
    end
  end
  if #cmds == 0 then fail(where, "a run block needs a \"$ \" line") end

  local shown = {}
  for i, c in ipairs(cmds) do
    local out, status = run(c.cmd, dir)
    local expect = i == #cmds and want or 0
    if status ~= expect then
      fail(file .. ":" .. c.line, string.format('command "%s" exited %d, expected %d',
        c.cmd, status, expect), out)
    end
    shown[#shown + 1] = "$ " .. c.cmd
    out = out:gsub("\n$", "")
    if out ~= "" then shown[#shown + 1] = out end
  end
  return pandoc.CodeBlock(table.concat(shown, "\n"), pandoc.Attr("", { "console" }))
end

return {
  { Meta = function(m)
      if m.chapterdir then chapterdir = pandoc.utils.stringify(m.chapterdir) end
    end },
  { CodeBlock = function(cb)
      if cb.classes:includes("run") then return run_block(cb) end
    end },
}
