-- Headless Neovim (0.7's built-in LSP client) against vmalloc-lint --lsp:
-- open FILE, wait for the diagnostics, write them to OUT, ask for the code
-- actions on the first diagnostic's line, apply the first one and write the
-- buffer's text after it to OUT..".fixed".
-- Environment: VL_LINT, VL_ROOT (the tree), VL_FILE, VL_OUT.
local lint, root, file, out = os.getenv('VL_LINT'), os.getenv('VL_ROOT'),
  os.getenv('VL_FILE'), os.getenv('VL_OUT')
local function finish(msg)
  local f = io.open(out .. '.status', 'w')
  f:write(msg .. '\n')
  f:close()
  vim.cmd('qa!')
end
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local client = vim.lsp.start_client({
  name = 'vmalloc-lint',
  cmd = { lint, '--lsp' },
  root_dir = root,
})
if not client then finish('no client') end
vim.lsp.buf_attach_client(0, client)
local ok = vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 100)
if not ok then finish('no diagnostics') end
local diags = vim.diagnostic.get(0)
table.sort(diags, function(a, b) return a.lnum < b.lnum end)
local f = io.open(out, 'w')
for _, d in ipairs(diags) do
  f:write(string.format('%d:%d: %s [%s]\n', d.lnum + 1, d.col + 1, d.message,
    tostring(d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code))))
end
f:close()
local first = diags[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  range = { start = { line = first.lnum, character = 0 },
            ['end'] = { line = first.lnum, character = 0 } },
  context = { diagnostics = {} },
}
local results = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 30000)
local action
for _, r in pairs(results or {}) do
  for _, a in ipairs(r.result or {}) do
    if a.edit and not action then action = a end
  end
end
if not action then finish('no code action') end
vim.lsp.util.apply_workspace_edit(action.edit, 'utf-8')
local g = io.open(out .. '.fixed', 'w')
g:write(action.title .. '\n')
for _, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do g:write(l .. '\n') end
g:close()
vim.lsp.stop_client(client)
finish('ok')
