-- plumbing.lua: pandoc filter, run with book/run.lua on each chapter, that
-- takes build plumbing and detours off the reading path.
--
-- A chapter marks prose and chunks that only keep the build going (exercise
-- rules, Makefile rearrangements, lists of deleted files) with a fenced div,
--
--     ::: {.plumbing summary="The exercise kernels' rules"}
--     ...prose and chunks...
--     :::
--
-- and an experiment a reader may skip with {.detour summary="..."}. The web
-- book folds either: <details class="plumbing"> (or "detour"), closed, whose
-- <summary> is the one-line summary after "Build plumbing: " (or "Detour: ",
-- book/book.css). The PDF sets it in smaller type, after that line in
-- italics (the environment plumbing of book/header.tex).
-- The filter writes both forms as raw blocks around the div's content, which
-- stays where it was: each writer keeps its own format's raw blocks and drops
-- the other's, and the filters after this one (book/solutions.lua,
-- book/chunks.lua) see the chunks as top-level blocks, as anywhere else.
-- A plumbing div without a summary is an error, with the summary's place.

local function summary_inlines(text)
  local doc = pandoc.read(text, "markdown")
  if #doc.blocks ~= 1 or not doc.blocks[1].content then
    error("plumbing.lua: a summary must be one line of text: " .. text)
  end
  return doc.blocks[1].content
end

local function write_inlines(inlines, format)
  local out = pandoc.write(pandoc.Pandoc({ pandoc.Plain(inlines) }), format)
  return (out:gsub("%s+$", ""))
end

local KINDS = { plumbing = "Build plumbing", detour = "Detour" }

function Div(div)
  local kind = nil
  for class, _ in pairs(KINDS) do
    if div.classes:includes(class) then kind = class end
  end
  if kind == nil then
    return nil
  end
  local summary = div.attributes.summary
  if summary == nil or summary:match("^%s*$") then
    error("plumbing.lua: a " .. kind .. " div needs a summary=\"...\" attribute")
  end
  local inlines = summary_inlines(summary)
  local out = {
    pandoc.RawBlock("html", '<details class="' .. kind .. '"><summary>' ..
      write_inlines(inlines, "html") .. "</summary>"),
    pandoc.RawBlock("latex", "\\begin{plumbing}{" .. KINDS[kind] .. ": " ..
      write_inlines(inlines, "latex") .. "}"),
  }
  for _, b in ipairs(div.content) do
    out[#out + 1] = b
  end
  out[#out + 1] = pandoc.RawBlock("latex", "\\end{plumbing}")
  out[#out + 1] = pandoc.RawBlock("html", "</details>")
  return out
end
