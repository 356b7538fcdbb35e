# One place for the warning flags every faultline target builds with.
function(faultline_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  # clang++ (the fuzz build) does not know g++'s -Wno-maybe-uninitialized, which a few
  # targets and sources add for g++ 12's sanitizer false positives.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_compile_options(${target} PRIVATE -Wno-unknown-warning-option)
  endif()
endfunction()
