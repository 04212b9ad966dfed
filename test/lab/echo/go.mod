module lab.local/echo

go 1.24
