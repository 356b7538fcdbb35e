# One place for the warning flags every faultline target builds with.
function(faultline_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
endfunction()
