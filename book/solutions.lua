-- solutions.lua: pandoc filter, run before chunks.lua, that shows the
-- exercises' solutions (the regions of chapters/README.md, "Exercises and
-- solutions") as a reader of the instructor's book wants them.
--
-- A region in code,
--
--     // BEGIN SOLUTION 4.1     (or ; or # as the leader)
--     ...the solution...
--     // STUB
--     // ...the starter code, commented...
--     // END SOLUTION
--
-- (numbered within the chapter: book/xref.lua has made "1" of chapter 4
-- "4.1") is shown as the student edition has it, the markers around the starter
-- code; the solution follows the chunk. A region in prose, between
-- <!-- BEGIN SOLUTION 4.2 --> and <!-- END SOLUTION -->, is the answer.
-- In HTML both fold under their exercise (<details>, closed); in LaTeX they
-- go to an appendix, "Solutions", at the end of the book, and a line where
-- they were points there. A region without a stub (the student edition's
-- own chapters) is shown as it is.

local LEADERS = { ["//"] = true, [";"] = true, ["#"] = true }

local function is_latex()
  return FORMAT:match("latex") ~= nil
end

local appendix = {}   -- LaTeX: { {title, id, blocks}, ... } in book order

local function pattern_escape(s)
  return (s:gsub("%p", "%%%0"))
end

-- The text of a code block split into what is shown in place and the
-- solutions it holds: { {exercise, code}, ... }.
local function split_code(text)
  local shown, solutions, region = {}, {}, nil
  for line in (text .. "\n"):gmatch("(.-)\n") do
    local indent, lead, ex = line:match("^(%s*)(%S+)%s+BEGIN SOLUTION ([%d%.]+)%s*$")
    if ex and LEADERS[lead] and not region then
      region = { ex = ex, lead = lead, indent = indent, code = {}, begin = line }
    elseif region and line:match("^%s*%S+%s+STUB%s*$") then
      region.stub = {}
    elseif region and line:match("^%s*%S+%s+END SOLUTION") then
      shown[#shown + 1] = region.begin
      if region.stub then
        local leader = "^(%s*)" .. pattern_escape(region.lead) .. " ?"
        for _, s in ipairs(region.stub) do
          shown[#shown + 1] = (s:gsub(leader, "%1", 1))
        end
        solutions[#solutions + 1] = { region.ex, table.concat(region.code, "\n") }
        shown[#shown + 1] = region.indent .. region.lead .. " END SOLUTION " .. region.ex
      else
        for _, s in ipairs(region.code) do shown[#shown + 1] = s end
        shown[#shown + 1] = line
      end
      region = nil
    elseif region then
      local into = region.stub or region.code
      into[#into + 1] = line
    else
      shown[#shown + 1] = line
    end
  end
  if region then   -- unbalanced (tangle/solutions --check reports it): as it is
    return text, {}
  end
  if shown[#shown] == "" then shown[#shown] = nil end
  return table.concat(shown, "\n"), solutions
end

-- Where a solution goes: folded in HTML, to the appendix in LaTeX.
local function place(kind, ex, blocks)
  local title = kind .. " " .. ex
  local id = "solution-" .. ex:gsub("%.", "-") .. "-" .. kind:lower()
  if is_latex() then
    appendix[#appendix + 1] = { title, id, blocks }
    return { pandoc.Para({ pandoc.Emph({ pandoc.Str(title .. ": see "),
      pandoc.Link({ pandoc.Str("Solutions") }, "#" .. id), pandoc.Str(".") }) }) }
  end
  local out = { pandoc.RawBlock("html", '<details class="solution" id="' .. id ..
    '"><summary>' .. title .. "</summary>") }
  for _, b in ipairs(blocks) do out[#out + 1] = b end
  out[#out + 1] = pandoc.RawBlock("html", "</details>")
  return out
end

-- A chunk whose code holds solutions: the starter code in place, the
-- solutions after it.
local function chunk(div)
  local after = {}
  for i, b in ipairs(div.content) do
    if b.t == "CodeBlock" then
      local shown, solutions = split_code(b.text)
      for _, s in ipairs(solutions) do
        local cb = pandoc.CodeBlock(s[2], pandoc.Attr("", b.classes, { nwlinks = b.attributes.nwlinks }))
        for _, x in ipairs(place("Solution", s[1], { cb })) do after[#after + 1] = x end
      end
      if #solutions > 0 then
        b.text = shown
        div.content[i] = b
      end
    end
  end
  return after
end

local function begin_answer(b)
  return b.t == "RawBlock" and b.format == "html"
    and b.text:match("^<!%-%-%s*BEGIN SOLUTION ([%d%.]+)%s*%-%->$")
end

local function end_answer(b)
  return b.t == "RawBlock" and b.format == "html"
    and b.text:match("^<!%-%-%s*END SOLUTION[%s%d%.]*%-%->$")
end

-- An end marker written on the paragraph's last line is the paragraph's
-- last inline: a paragraph and the marker as a block of its own.
local function split_end(b)
  if b.t ~= "Para" and b.t ~= "Plain" then return { b } end
  local last = b.content[#b.content]
  if not (last and last.t == "RawInline" and last.format == "html"
          and last.text:match("^<!%-%-%s*END SOLUTION[%s%d%.]*%-%->$")) then
    return { b }
  end
  local inlines = {}
  for i = 1, #b.content - 1 do inlines[i] = b.content[i] end
  while #inlines > 0 and (inlines[#inlines].t == "SoftBreak" or inlines[#inlines].t == "Space") do
    inlines[#inlines] = nil
  end
  return { pandoc.Para(inlines), pandoc.RawBlock("html", last.text) }
end

local function blocks(list)
  local out, answer = {}, nil
  local flat = {}
  for _, b in ipairs(list) do
    for _, x in ipairs(split_end(b)) do flat[#flat + 1] = x end
  end
  for _, b in ipairs(flat) do
    if answer then
      if end_answer(b) then
        for _, x in ipairs(place("Answer", answer.ex, answer.blocks)) do out[#out + 1] = x end
        answer = nil
      else
        answer.blocks[#answer.blocks + 1] = b
      end
    elseif begin_answer(b) then
      answer = { ex = begin_answer(b), blocks = {} }
    else
      out[#out + 1] = b
      if b.t == "Div" and b.classes:includes("nwchunk") then
        for _, x in ipairs(chunk(b)) do out[#out + 1] = x end
      end
    end
  end
  if answer then   -- no end marker: leave the text where it was
    for _, b in ipairs(answer.blocks) do out[#out + 1] = b end
  end
  return out
end

function Pandoc(doc)
  doc.blocks = blocks(doc.blocks)
  if is_latex() and #appendix > 0 then
    table.insert(doc.blocks, pandoc.RawBlock("latex", "\\appendix"))
    table.insert(doc.blocks, pandoc.Header(1, "Solutions", pandoc.Attr("solutions", { "unnumbered" })))
    for _, s in ipairs(appendix) do
      table.insert(doc.blocks, pandoc.Header(2, s[1], pandoc.Attr(s[2], { "unnumbered" })))
      for _, b in ipairs(s[3]) do table.insert(doc.blocks, b) end
    end
  end
  return doc
end
