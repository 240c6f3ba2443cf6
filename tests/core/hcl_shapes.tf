resource "a" "b" {
  s = "a\"b\n${var.x}"
  n = -1
  f = 1.5
  e = 1e3
  t = true
  z = null
  l = [var.a, "b", 1, [2]]
  o = { a = 1, "b" = var.c, (var.k) = 2, d: 3 }
  fe = [for x in var.y : upper(x) if x != ""]
  fo = {for k, v in var.m : k => v}
  c = var.a ? "x" : "y"
  m = concat(
    var.a, # comment
    var.b,
  )
  h = <<EOT
hello ${var.x}
EOT
  sp = var.list[*].id
  idx = var.m["k"].x
  nested { a = 1 }
  dynamic "d" {
    for_each = var.l
    content {
      x = d.value
    }
  }
  q = "%{ if var.x }yes%{ endif }"
  obj = {
    a = 1
    b = {
      c = [1,
        2]
    }
  }
  neg = !var.x
  par = (var.a + 1) * 2
  tpl = "$${literal}"
}
