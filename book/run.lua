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
--
-- With -M runcache=FILE (and chapterdir), the outputs are kept in FILE and
-- the commands run only when what they can see changed: the cache's key is
-- every run block of the chapter (commands, status, dir: a block may use
-- what an earlier one made) and the bytes of the chapter directory's inputs
-- (every file of src/, the try/ files the tangle wrote, bochs/serial.log)
-- and of dpkg's status file (the installed tools). A hit also needs try/
-- to hold what the last run left there, byte for byte (the boot tests of
-- experiments boot those files). On a miss, try/ is first emptied of all
-- but its tangled files, so that the blocks run as in a clean build. So a
-- change to a chapter's prose runs nothing. Commands must read nothing
-- else outside the chapter directory but the installed system.
--
-- Blocks of class "expect" and "test" (the tests the chapter declares, for
-- tangle/expects) are left out of the book.

local TIMEOUT = 300     -- seconds one command may take
local CACHE_FORMAT = "run.lua cache 1"   -- change it to drop every cache
local chapterdir = nil
local runcache = nil    -- the cache file (-M runcache), or nil
local blocks = {}       -- the run blocks, in order: their key text
local cached = nil      -- outputs from the cache (a hit), in block order
local fresh = {}        -- outputs of this run, in block order

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

-- The output of sh -c cmd (in the chapter's directory, none of the
-- commands' own), or nil if it failed.
local function capture(cmd)
  local p = io.popen("{ " .. cmd .. "; } 2>/dev/null; echo \"@status=$?\"", "r")
  local out = p:read("a")
  p:close()
  local body, status = out:match("^(.-)@status=(%d+)\n?$")
  if status ~= "0" then return nil end
  return body
end

-- The digests of the files the commands can see in chapter directory ch.
local function inputs_digest(ch)
  return capture("cd " .. shell_quote(ch) .. " && { find src -type f; "
    .. "awk '$1 == \"try\" { print \"try/\" $2 }' roots; "
    .. "if [ -f bochs/serial.log ]; then echo bochs/serial.log; fi; } "
    .. "| LC_ALL=C sort | xargs -r sha256sum && sha256sum /var/lib/dpkg/status")
end

-- The digests of every file in ch/try.
local function try_digest(ch)
  return capture("cd " .. shell_quote(ch) .. " && find try -type f | LC_ALL=C sort "
    .. "| xargs -r sha256sum")
end

-- The cache file: the key line, the try/ digest, then each block's output.
-- Each part is "LENGTH\n" and its bytes.
local function read_cache(key)
  local f = io.open(runcache, "rb")
  if not f then return nil end
  local data = f:read("a")
  f:close()
  local parts, pos = {}, 1
  while pos <= #data do
    local len, rest = data:match("^(%d+)\n()", pos)
    if not len then return nil end
    parts[#parts + 1] = data:sub(rest, rest + tonumber(len) - 1)
    pos = rest + tonumber(len)
  end
  if parts[1] ~= CACHE_FORMAT .. " " .. key or #parts ~= #blocks + 2 then return nil end
  if parts[2] ~= try_digest(chapterdir) then return nil end
  return { table.unpack(parts, 3) }
end

local function write_cache(key)
  local parts = { CACHE_FORMAT .. " " .. key, try_digest(chapterdir) }
  if not parts[2] then return end
  for _, out in ipairs(fresh) do parts[#parts + 1] = out end
  local f = io.open(runcache .. ".tmp", "wb")
  if not f then return end
  for _, part in ipairs(parts) do f:write(#part, "\n", part) end
  f:close()
  os.rename(runcache .. ".tmp", runcache)
end

-- Empty ch/try of what earlier runs made: keep the files the tangle wrote.
local function reset_try(ch)
  local ok = capture("cd " .. shell_quote(ch) .. " && { awk '$1 == \"try\" { print \"try/\" $2 }' roots; "
    .. "echo; find try -type f; } | awk 'NF == 0 { found = 1; next } !found { keep[$0] = 1; next } "
    .. "!($0 in keep)' | while IFS= read -r f; do rm -f \"$f\"; done "
    .. "&& find try -mindepth 1 -type d -empty -delete")
  if not ok then fail(ch, "cannot empty " .. ch .. "/try of what earlier runs made") end
end

-- Before the blocks run: the cache's key, and its outputs if it has them.
local key = nil
local function look_up()
  if not (runcache and chapterdir) or #blocks == 0 then return end
  local inputs = inputs_digest(chapterdir)
  if not inputs then return end
  key = pandoc.utils.sha1(inputs .. "\0" .. table.concat(blocks, "\0"))
  cached = read_cache(key)
  if not cached then reset_try(chapterdir) end
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
  if cached then
    fresh[#fresh + 1] = cached[#fresh + 1]
    return pandoc.CodeBlock(fresh[#fresh], pandoc.Attr("", { "console" }))
  end
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
  fresh[#fresh + 1] = table.concat(shown, "\n")
  return pandoc.CodeBlock(fresh[#fresh], pandoc.Attr("", { "console" }))
end

-- A block's part of the key: what decides its output.
local function block_key(cb)
  return table.concat({ cb.attributes.status or "0", cb.attributes.dir or "try", cb.text }, "\n")
end

return {
  { Meta = function(m)
      if m.chapterdir then chapterdir = pandoc.utils.stringify(m.chapterdir) end
      if m.runcache then
        runcache = pandoc.utils.stringify(m.runcache)
        m.runcache = nil   -- not part of the page
        return m
      end
    end },
  { CodeBlock = function(cb)
      if cb.classes:includes("run") then blocks[#blocks + 1] = block_key(cb) end
    end },
  { Pandoc = function() look_up() end },
  { CodeBlock = function(cb)
      if cb.classes:includes("run") then return run_block(cb) end
      -- The tests a chapter declares (tangle/expects) are not for the reader.
      if cb.classes:includes("expect") or cb.classes:includes("test") then return {} end
    end },
  { Pandoc = function()
      if key and not cached then write_cache(key) end
    end },
}
